/** Go's text/template as falcosidekick's templates use it: the outputs are Go's, but for the module's two kindnesses. */
import { describe, expect, it } from 'vitest';
import { compileGoTemplate, NO_VALUE, TemplateError } from './go-template.js';

const run = (source: string, data: unknown = {}) => compileGoTemplate(source).execute(data);

const event = {
  Rule: 'Terminal shell in container',
  Priority: 'Notice',
  Hostname: 'node-1',
  Tags: ['container', 'shell'],
  OutputFields: { 'k8s.ns.name': 'payments', 'proc.cmdline': 'bash -i', 'evt.num': 42, user: 'root', empty: '' },
};

describe('compileGoTemplate', () => {
  it('prints fields, map keys by chain or index, and <no value> for what is missing', () => {
    expect(run('{{ .Rule }} | {{ .OutputFields.user }} | {{ index .OutputFields "k8s.ns.name" }}', event)).toBe(
      'Terminal shell in container | root | payments',
    );
    expect(run('{{ .OutputFields.nope }} {{ index .OutputFields "nope" }} {{ .Missing.deeper }}', event)).toBe(
      `${NO_VALUE} ${NO_VALUE} ${NO_VALUE}`,
    );
    expect(run('{{ .Tags }} {{ .OutputFields }}', { Tags: ['a', 'b'], OutputFields: { b: 1, a: { x: 1 } } })).toBe(
      '[a b] map[a:{"x":1} b:1]',
    );
    expect(run('{{ . }}', 'plain')).toBe('plain');
  });

  it('branches on Go truth with if, else if and else; with sets the dot', () => {
    const t = '{{ if eq .Priority "Critical" }}page{{ else if .Hostname }}host {{ .Hostname }}{{ else }}none{{ end }}';
    expect(run(t, event)).toBe('host node-1');
    expect(run(t, { ...event, Priority: 'Critical' })).toBe('page');
    expect(run(t, { Priority: 'Notice', Hostname: '' })).toBe('none');
    for (const falsy of [0, '', [], {}, null, false]) expect(run('{{ if . }}y{{ else }}n{{ end }}', falsy)).toBe('n');
    expect(run('{{ with .OutputFields.user }}user={{ . }}{{ else }}nobody{{ end }} {{ .Rule }}', event)).toBe(
      'user=root Terminal shell in container',
    );
    expect(run('{{ with .OutputFields.empty }}x{{ else }}empty{{ end }}', event)).toBe('empty');
  });

  it('ranges over lists and over maps in key order, with variables and an else for nothing', () => {
    expect(run('{{ range $i, $t := .Tags }}{{ $i }}={{ $t }} {{ end }}', event)).toBe('0=container 1=shell ');
    expect(run('{{ range $k, $v := . }}{{ $k }}:{{ $v }};{{ end }}', { b: 2, a: 1 })).toBe('a:1;b:2;');
    expect(run('{{ range .Tags }}{{ . }}{{ else }}no tags{{ end }}', { Tags: [] })).toBe('no tags');
    expect(run('{{ range .Tags }}{{ $.Rule }}/{{ . }} {{ end }}', { Rule: 'r', Tags: ['a', 'b'] })).toBe('r/a r/b ');
  });

  it('runs pipelines, parentheses, variables and the builtin functions', () => {
    expect(run('{{ .Rule | printf "%s!" }}', event)).toBe('Terminal shell in container!');
    expect(run('{{ $ns := index .OutputFields "k8s.ns.name" }}ns={{ $ns }}', event)).toBe('ns=payments');
    expect(run('{{ $x := 1 }}{{ $x = 2 }}{{ $x }}')).toBe('2');
    expect(run('{{ or .OutputFields.empty .OutputFields.user "x" }} {{ and 1 0 2 }} {{ not "" }}', event)).toBe(
      'root 0 true',
    );
    expect(run('{{ eq .Priority "Warning" "Notice" }} {{ ne 1 2 }} {{ lt 1 2 }} {{ ge "b" "a" }}', event)).toBe(
      'true true true true',
    );
    expect(run('{{ len .Tags }} {{ len "héllo" }} {{ len .OutputFields }}', event)).toBe('2 6 5');
    expect(run('{{ printf "%d|%5.2f|%q|%v|%%|%x|%-4s|%03d" 42 3.14159 "a\\"b" .Tags 255 "ab" 7 }}', event)).toBe(
      '42| 3.14|"a\\"b"|[container shell]|%|ff|ab  |007',
    );
    expect(run('{{ print "a" 1 2 "b" }}|{{ println "x" 1 }}|{{ html "<b>&" }}|{{ urlquery "a b&c" }}')).toBe(
      'a1 2b|x 1\n|&lt;b&gt;&amp;|a+b%26c',
    );
    expect(run('{{ (index .OutputFields "proc.cmdline") }} {{ index .Tags 1 }}', event)).toBe('bash -i shell');
    expect(run('{{ eq (index .OutputFields "nope") "x" }}', event)).toBe('false');
  });

  it('honours trim markers and comments, and leaves text without actions alone', () => {
    expect(run('a  {{- .Priority -}}  b {{/* note */}}c', event)).toBe('aNoticeb c');
    expect(run('plain }} text')).toBe('plain }} text');
  });

  it('escapes what actions print, never the template text', () => {
    const t = compileGoTemplate('<!here> {{ .Rule }} {{ printf "<%s>" .Rule }}');
    expect(t.execute({ Rule: '<!channel>' }, (v) => `[${v}]`)).toBe('<!here> [<!channel>] [<<!channel>>]');
  });

  it('chains a field onto parentheses only without a space, as Go does', () => {
    expect(run('{{ or (index .OutputFields "k8s.pod.name") .Rule }}', event)).toBe('Terminal shell in container');
    expect(run('{{ if and (eq .Priority "Notice") .Tags }}yes{{ end }}', event)).toBe('yes');
    expect(run('{{ printf "%s %s" (index .OutputFields "user") .Priority }}', event)).toBe('root Notice');
    expect(run('{{ (index . "OutputFields").user }}', event)).toBe('root');
  });

  it('never throws while executing, whatever the data, and keeps printf widths bounded', () => {
    expect(run('{{ urlquery . }}|{{ urlquery "a(b)!" }}', 'x\ud800y')).toBe('x%EF%BF%BDy|a%28b%29%21');
    expect(run('{{ printf "%600000000d|%.200f" 1 1.5 }}')).toBe('%!(BADWIDTH)|' + (1.5).toFixed(100));
  });

  it('refuses nesting deep enough to exhaust the stack', () => {
    expect(() => compileGoTemplate(`{{ ${'('.repeat(20_000)}1${')'.repeat(20_000)} }}`)).toThrow(TemplateError);
    expect(() => compileGoTemplate('{{ if 1 }}'.repeat(200_000))).toThrow(/nested too deeply/);
    expect(compileGoTemplate(`${' '.repeat(100_000)}{{- 1 }}`).execute({})).toBe('1');
  });

  it('stops at an execution error, keeping what was written, as Go does', () => {
    expect(run('a{{ .Rule.x }}b', { Rule: 'text' })).toBe('a');
    expect(compileGoTemplate('a{{ .Rule.x }}b').run({ Rule: 'text' })).toEqual({ text: 'a', failed: true });
    expect(compileGoTemplate('a{{ .Rule }}b').run({ Rule: 'text' })).toEqual({ text: 'atextb', failed: false });
    expect(run('a{{ lt 1 "x" }}b')).toBe('a');
  });

  it.each([
    ['{{ .Rule', /unclosed action "\{\{" at offset 0/],
    ['{{ if .Rule }}x', /\{\{if\}\} without \{\{end\}\}/],
    ['x{{ end }}', /unexpected \{\{end\}\} at offset 1/],
    ['{{ else }}', /unexpected \{\{else\}\}/],
    ['{{ upper .Rule }}', /function "upper" not defined/],
    ['{{ .Rule .Priority }}', /can't give arguments to a non-function/],
    ['{{ template "x" }}', /\{\{template\}\} is not supported/],
    ['{{ (len .Tags }}', /unclosed left paren/],
    ['{{ "a\\q" }}', /bad string/],
    ['{{/* open }}', /unclosed comment/],
    ['{{ }}', /missing value for command/],
  ])('refuses %s', (source, message) => {
    expect(() => compileGoTemplate(source)).toThrow(TemplateError);
    expect(() => compileGoTemplate(source)).toThrow(message);
  });

  it('refuses a field the top-level data does not have, when told its fields', () => {
    const fields = { rootFields: ['Rule', 'Tags'] };
    expect(() => compileGoTemplate('{{ .Rulez }}', fields)).toThrow(/unknown field "\.Rulez" at offset 0/);
    // Inside with and range the dot is something else.
    expect(() => compileGoTemplate('{{ range .Tags }}{{ .Anything }}{{ end }}', fields)).not.toThrow();
    expect(() => compileGoTemplate('{{ range .Tags }}{{ end }}{{ .Other }}', fields)).toThrow(/unknown field/);
  });
});
