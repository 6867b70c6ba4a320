import fc from 'fast-check';

/** Values that break types, bounds and parsers: the replacements a mutation picks from. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    0,
    -1,
    -0,
    1.5,
    2 ** 53,
    -(2 ** 63),
    1e308,
    '',
    ' ',
    '0',
    '-1',
    'NaN',
    'Infinity',
    '1e309',
    'null',
    'true',
    '__proto__',
    '../../etc/passwd',
    "'; DROP TABLE x; --",
    '\u0000',
    '\uD800',
    '\u202E',
    '🙂',
    '2025-13-45T25:61:00Z',
    '2025-01-31T12:00:00',
    '999999-01-01T00:00:00Z',
    '0000-01-01T00:00:00Z',
    '1.2.3.4.5',
    '::ffff:999.1.1.1',
    [],
    {},
  ),
  fc.string({ maxLength: 80, unit: 'binary' }),
  fc.string({ minLength: 1000, maxLength: 70_000 }).filter((s) => s.length >= 1000),
  fc.integer(),
  fc.double(),
  fc.jsonValue({ maxDepth: 3 }),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 5 }),
);

type Json = unknown;

/**
 * Mutations of a valid input: the other half of the fuzzer's inputs. One to three edits, each one
 * of: drop a field, set a field (existing, unknown or `__proto__`/`constructor`) to a hostile value,
 * wrap or replace the whole value, nest it deeply, or (for arrays) duplicate or drop elements.
 * Applied at the top level or inside nested objects and arrays.
 */
export function mutationsOf(valid: fc.Arbitrary<Json>): fc.Arbitrary<Json> {
  return fc
    .tuple(
      valid,
      fc.array(fc.tuple(fc.nat(), fc.nat(), hostileValue, fc.string({ maxLength: 12 })), {
        minLength: 1,
        maxLength: 3,
      }),
    )
    .map(([value, edits]) => {
      let result = structuredClone(value);
      for (const [kind, where, replacement, name] of edits)
        result = edit(result, kind, where, replacement, name);
      return result;
    });
}

function edit(value: Json, kind: number, where: number, replacement: unknown, name: string): Json {
  const target = pickContainer(value, where);
  if (target === undefined) return kind % 2 === 0 ? replacement : [value, replacement];
  if (Array.isArray(target)) {
    switch (kind % 4) {
      case 0:
        target.splice(where % (target.length + 1), 1);
        return value;
      case 1:
        target.push(structuredClone(target[where % Math.max(1, target.length)] ?? replacement));
        return value;
      case 2:
        target[where % Math.max(1, target.length)] = replacement;
        return value;
      default:
        return replacement;
    }
  }
  const keys = Object.keys(target);
  const key = keys[where % Math.max(1, keys.length)];
  switch (kind % 7) {
    case 0:
      if (key !== undefined) delete target[key];
      return value;
    case 1:
    case 2:
      if (key !== undefined) target[key] = replacement;
      return value;
    case 3:
      target[name === '' ? 'extra' : name] = replacement;
      return value;
    case 4:
      Object.defineProperty(target, where % 2 === 0 ? '__proto__' : 'constructor', {
        value: { polluted: replacement },
        enumerable: true,
        configurable: true,
        writable: true,
      });
      return value;
    case 5:
      return nest(value, 2 + (where % 200));
    default:
      return replacement;
  }
}

/** An object or array inside `value` (the `where`-th, depth first), or undefined for a scalar. */
function pickContainer(value: Json, where: number): Record<string, unknown> | unknown[] | undefined {
  const containers: (Record<string, unknown> | unknown[])[] = [];
  const visit = (v: unknown, depth: number) => {
    if (v === null || typeof v !== 'object' || depth > 4) return;
    containers.push(v as Record<string, unknown> | unknown[]);
    for (const child of Object.values(v)) visit(child, depth + 1);
  };
  visit(value, 0);
  return containers.length === 0 ? undefined : containers[where % containers.length];
}

function nest(value: Json, depth: number): Json {
  let nested = value;
  for (let i = 0; i < depth; i++) nested = i % 2 === 0 ? [nested] : { a: nested };
  return nested;
}

/** Bodies that are not JSON, or not quite: truncated, with garbage around, another encoding. */
export function rawBodiesOf(valid: fc.Arbitrary<Json>): fc.Arbitrary<string> {
  return fc.oneof(
    fc.tuple(valid, fc.nat()).map(([v, cut]) => {
      const text = JSON.stringify(v) ?? '';
      return text.slice(0, cut % Math.max(1, text.length));
    }),
    fc
      .tuple(valid, fc.string({ maxLength: 5, unit: 'binary' }))
      .map(([v, junk]) => `${JSON.stringify(v)}${junk}`),
    fc.string({ maxLength: 200, unit: 'binary' }),
    fc.constantFrom(
      '',
      'null',
      '[]',
      '{}',
      '{"a":',
      '[[[[[[[[[[',
      '"\\ud800"',
      '1e999999',
      '{"__proto__":{"x":1}}',
    ),
  );
}
