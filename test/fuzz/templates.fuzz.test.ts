/**
 * Go templates (slack.messageformat, templatedfields) over hostile input: any template text compiles or is refused
 * with a TemplateError, and a compiled template runs over any alert data without throwing.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { compileGoTemplate, TemplateError } from '../../apps/server/src/common/go-template.js';
import { RUNS } from './payloads.js';

/** Template text built from the pieces templates are made of, so the parser sees near-misses, not only noise. */
const piece = fc.constantFrom(
  '{{',
  '}}',
  '{{- ',
  ' -}}',
  ' if ',
  ' else ',
  ' end ',
  ' range ',
  ' with ',
  '$x := ',
  '$',
  '.',
  '.OutputFields',
  '.Rule',
  '.a.b',
  '(',
  ')',
  ' | ',
  'index . "k"',
  'printf "%s %d %5.2f %q"',
  'or',
  'and',
  'eq',
  'len',
  'urlquery',
  '"str"',
  '`raw`',
  '42',
  '-1.5e3',
  'true',
  'nil',
  '/* c */',
  ' ',
  'text',
);
const template = fc.oneof(
  fc.array(piece, { maxLength: 30 }).map((parts) => parts.join('')),
  fc.string(),
);

it('compiles any template text or refuses it with a TemplateError', () => {
  fc.assert(
    fc.property(template, (source) => {
      try {
        compileGoTemplate(source);
      } catch (error) {
        expect(error).toBeInstanceOf(TemplateError);
      }
    }),
    { numRuns: RUNS * 10 },
  );
});

it('runs any compiled template over any JSON data without throwing', () => {
  fc.assert(
    fc.property(template, fc.jsonValue(), (source, data) => {
      let compiled;
      try {
        compiled = compileGoTemplate(source);
      } catch {
        return;
      }
      expect(typeof compiled.execute(data)).toBe('string');
      expect(typeof compiled.execute({ OutputFields: data, Rule: '<!channel>' }, (v) => `[${v}]`)).toBe('string');
    }),
    { numRuns: RUNS * 10 },
  );
});
