import { describe, expect, it } from 'vitest';
import { testAlert } from '../testing/alerts.js';
import { TemplateError, compileMessageTemplate } from './message-template.js';

const render = (source: string, alert = testAlert()) => compileMessageTemplate(source).render(alert, (v) => v);

describe('messageformat templates', () => {
  it('renders the alert fields users write, the way Go prints them', () => {
    const alert = testAlert({ output_fields: { 'user.name': 'root', 'evt.num': 42, flag: true, gone: null } });
    expect(render('*{{ .Rule }}* ({{.Priority}}) on {{ .Hostname }} [{{ .Source }}]')).toBe(
      '*Write below binary dir* (Error) on localhost [syscall]',
    );
    expect(render('{{ .Time }} | {{ .Tags }} | {{ .UUID }}')).toBe(
      '2019-05-17 15:31:56.746609046 +0000 UTC | [filesystem mitre_persistence] | 01J0000000000000000000000A',
    );
    expect(render('{{ .OutputFields }}', alert)).toBe('map[evt.num:42 flag:true gone:<no value> user.name:root]');
    expect(render('{{ .Output }}')).toBe(testAlert().output);
  });

  it('indexes output fields, with <no value> for a missing key and Go string literals', () => {
    const alert = testAlert({ output_fields: { 'user.name': 'root', 'evt.num': 7 } });
    expect(render('user={{ index .OutputFields "user.name" }} n={{ index .OutputFields `evt.num` }}', alert)).toBe(
      'user=root n=7',
    );
    expect(render('{{ index .OutputFields "k8s.ns.name" }}', alert)).toBe('<no value>');
    expect(render('{{ index .OutputFields "a\\"b" }}', testAlert({ output_fields: { 'a"b': 'q' } }))).toBe('q');
  });

  it('honours trim markers and comments', () => {
    expect(render('a  {{- .Priority -}}  b {{/* note */}}c')).toBe('aErrorb c');
    expect(render('x\n{{- /* gone */ -}}\ny')).toBe('xy');
  });

  it('escapes only the values taken from the alert', () => {
    const alert = testAlert({ rule: '<!channel>' });
    expect(compileMessageTemplate('<!here> {{ .Rule }}').render(alert, (v) => `[${v}]`)).toBe('<!here> [<!channel>]');
  });

  it.each([
    ['{{ .Rule', /unclosed action "\{\{" at offset 0/],
    ['hi {{ .Rulez }}', /unknown field "\.Rulez" at offset 3/],
    ['{{ .Rule | upper }}', /function "upper" not defined at offset 0/],
    ['{{ if .Rule }}x', /\{\{if\}\} without \{\{end\}\}/],
    ['{{ index .OutputFields user }}', /function "user" not defined/],
    ['{{ if .Rule }}{{ .Nope }}{{ end }}', /unknown field "\.Nope" at offset 14/],
    ['{{/* open }}', /unclosed comment/],
  ])('rejects %s', (source, message) => {
    expect(() => compileMessageTemplate(source)).toThrow(TemplateError);
    expect(() => compileMessageTemplate(source)).toThrow(message);
  });

  it('runs the Go template actions falcosidekick users write: if, or, printf, field chains on maps, range', () => {
    const alert = testAlert({ output_fields: { 'user.name': 'root', user: 'alice' }, hostname: '' });
    expect(render('{{ if .Hostname }}on {{ .Hostname }}{{ else }}no host{{ end }}', alert)).toBe('no host');
    expect(render('{{ or (index .OutputFields "k8s.ns.name") "n/a" }} {{ .OutputFields.user }}', alert)).toBe(
      'n/a alice',
    );
    expect(render('{{ printf "%s by %q" .Rule (index .OutputFields "user.name") }}', alert)).toBe(
      'Write below binary dir by "root"',
    );
    expect(render('{{ range .Tags }}#{{ . }} {{ end }}{{ len .Tags }}')).toBe('#filesystem #mitre_persistence 2');
  });

  it('sends no text when executing fails, as falcosidekick does', () => {
    expect(render('before {{ .Rule.x }} after')).toBe('');
    expect(render('{{ lt .Priority 3 }}')).toBe('');
  });

  it('leaves text without actions alone, including a lone "}}"', () => {
    expect(render('plain }} text')).toBe('plain }} text');
  });
});
