import fc from 'fast-check';

/** The JSON Schema keywords the streamkit schemas use (TypeBox emits plain JSON Schema). */
export interface JsonSchema {
  readonly type?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly format?: string;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly anyOf?: readonly JsonSchema[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
}

/** Date-times within a few years of now, as RFC 3339 with a Z or an offset. */
const dateTime = fc
  .tuple(
    fc.integer({ min: Date.now() - 3 * 365 * 86_400_000, max: Date.now() + 86_400_000 }),
    fc.constantFrom('Z', '+01:00', '-05:30'),
  )
  .map(([ms, zone]) => {
    const iso = new Date(ms).toISOString();
    if (zone === 'Z') return iso;
    const offsetMs =
      (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4))) * 60_000;
    return `${new Date(ms + offsetMs).toISOString().slice(0, -1)}${zone}`;
  });

/**
 * Values that satisfy `schema`: the property-based half of the fuzzer's inputs. Optional
 * properties appear or not; strings honour length, pattern (fast-check's stringMatching), enum and
 * the date-time / ipv4 / ipv6 formats; numbers their bounds. A schema it cannot read throws, so a
 * schema change that the generator does not follow fails loudly instead of generating less.
 */
export function arbitraryOf(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum !== undefined) return fc.constantFrom(...schema.enum);
  if (schema.anyOf !== undefined) return fc.oneof(...schema.anyOf.map(arbitraryOf));
  switch (schema.type) {
    case 'object':
      return objectOf(schema);
    case 'array':
      if (schema.items === undefined) throw new TypeError('arbitraryOf: an array schema without items');
      return fc.array(arbitraryOf(schema.items), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 8, 8),
      });
    case 'string':
      return stringOf(schema);
    case 'integer':
      return fc.integer({
        min: Math.max(schema.minimum ?? -(2 ** 31), Number.MIN_SAFE_INTEGER),
        max: Math.min(schema.maximum ?? 2 ** 31, Number.MAX_SAFE_INTEGER),
      });
    case 'number':
      return fc.double({
        min: schema.minimum ?? schema.exclusiveMinimum ?? -1e9,
        max: schema.maximum ?? schema.exclusiveMaximum ?? 1e9,
        minExcluded: schema.exclusiveMinimum !== undefined,
        maxExcluded: schema.exclusiveMaximum !== undefined,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      throw new TypeError(`arbitraryOf: cannot generate ${JSON.stringify(schema).slice(0, 120)}`);
  }
}

function objectOf(schema: JsonSchema): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(properties)) record[name] = arbitraryOf(property);
  return fc.record(record, { requiredKeys: [...(schema.required ?? [])] }) as fc.Arbitrary<
    Record<string, unknown>
  >;
}

function stringOf(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = schema.maxLength ?? 200;
  const fits = (s: string) => s.length >= minLength && s.length <= maxLength;
  switch (schema.format) {
    case 'date-time':
      return dateTime;
    case 'ipv4':
      return fc.ipV4();
    case 'ipv6':
      return fc.ipV6();
    case 'hostname':
      return fc.domain().filter(fits);
    case undefined:
      break;
    default:
      throw new TypeError(`arbitraryOf: cannot generate strings of format ${schema.format}`);
  }
  if (schema.pattern !== undefined) {
    // patterns anchored at both ends: a longer match is cut and re-checked, never trusted blindly
    const pattern = new RegExp(schema.pattern);
    return fc
      .stringMatching(pattern)
      .map((s) => (s.length > maxLength ? s.slice(0, maxLength) : s))
      .filter((s) => fits(s) && pattern.test(s));
  }
  return fc.string({ minLength, maxLength: Math.min(maxLength, 200), unit: 'grapheme' });
}
