/** fast-check arbitraries for hostile input: random bytes and JSON, and valid payloads mutated field by field. */
import fc from 'fast-check';

/** How many cases each property tries; FUZZ_RUNS raises it for a longer local run. */
export const RUNS = Number(process.env['FUZZ_RUNS'] ?? 150);

const DANGEROUS_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

/** Any JSON value, with the keys that break careless object handling mixed in. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.jsonValue({ maxDepth: 2 }),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.double(),
    fc.constantFrom(null, true, false, 0, -1, 1e308, '', 'null', '{}', '[]'),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...DANGEROUS_KEYS), fc.string({ maxLength: 12 })), tie('value'), {
      maxKeys: 4,
    }),
  ),
})).value;

/** Nesting far past any sane depth: [[[[…]]]] or {"a":{"a":…}}. */
export const deepNesting = fc
  .tuple(fc.integer({ min: 100, max: 20_000 }), fc.boolean())
  .map(([depth, arrays]) =>
    arrays ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth),
  );

/** `base` with a few fields replaced by hostile values, removed, or joined by dangerous keys. */
export function mutated(base: Record<string, unknown>, extraKeys: string[] = []): fc.Arbitrary<unknown> {
  const keys = [...Object.keys(base), ...extraKeys, ...DANGEROUS_KEYS];
  const mutation = fc.oneof(
    fc.record({ op: fc.constant('set' as const), key: fc.constantFrom(...keys), value: hostileJson }),
    fc.record({ op: fc.constant('delete' as const), key: fc.constantFrom(...keys) }),
    fc.record({
      op: fc.constant('huge' as const),
      key: fc.constantFrom(...keys),
      size: fc.integer({ min: 10_000, max: 600_000 }),
    }),
  );
  return fc.array(mutation, { minLength: 1, maxLength: 4 }).map((mutations) => {
    // JSON text, so __proto__ stays an own key as an attacker would send it.
    const copy = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
    const extra: string[] = [];
    for (const m of mutations) {
      if (m.op === 'delete') delete copy[m.key];
      else if (m.op === 'huge') copy[m.key] = 'x'.repeat(m.size);
      else if (m.key === '__proto__') extra.push(`"__proto__":${JSON.stringify(m.value) ?? 'null'}`);
      else copy[m.key] = m.value;
    }
    const text = JSON.stringify(copy);
    return extra.length ? `{${extra.join(',')}${text === '{}' ? '' : `,${text.slice(1, -1)}`}}` : text;
  });
}

export const contentTypes = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'garbage',
  '',
);

/** A request body: raw bytes, random text, random JSON, deep nesting, or a mutated valid payload. */
export function body(valid: Record<string, unknown>, extraKeys: string[] = []): fc.Arbitrary<string | Uint8Array> {
  return fc.oneof(
    fc.uint8Array({ maxLength: 2_000 }),
    fc.string({ unit: 'binary', maxLength: 2_000 }),
    hostileJson.map((v) => JSON.stringify(v) ?? 'undefined'),
    deepNesting,
    mutated(valid, extraKeys).map(String),
  );
}
