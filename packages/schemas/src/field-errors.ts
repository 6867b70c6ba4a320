import type { TSchema } from 'typebox';
import type { FieldError } from './validator.ts';

/** The part of a TypeBox error this module reads. */
export interface RawSchemaError {
  readonly instancePath: string;
  readonly schemaPath: string;
  readonly keyword: string;
  readonly message: string;
  readonly params: object;
}

/**
 * A schema annotation that replaces TypeBox's generic wording with one a reader of a 400 response or a DLQ
 * header understands: a string replaces every message at or below the annotated schema (e.g. a union of
 * IPv4 | IPv6), a record replaces the message of one keyword of that schema (e.g. `{ pattern: '...' }`).
 */
export type ErrorMessageAnnotation = string | Readonly<Partial<Record<string, string>>>;

/** Turns TypeBox's errors into one readable message per field, naming unknown and missing properties. */
export function toFieldErrors(root: TSchema, raw: readonly RawSchemaError[]): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of raw) {
    // the "schema is false" twin of an additionalProperties error adds nothing
    if (e.keyword === 'boolean') continue;
    const base = e.instancePath.replace(/^\//, '');
    const params = e.params as Record<string, unknown>;
    if (e.keyword === 'required' && Array.isArray(params.requiredProperties)) {
      for (const p of params.requiredProperties as string[]) push(join(base, p), 'is required');
      continue;
    }
    if (e.keyword === 'additionalProperties' && Array.isArray(params.additionalProperties)) {
      for (const p of params.additionalProperties as string[]) push(join(base, p), 'is not allowed');
      continue;
    }
    push(base, annotatedMessage(root, e) ?? defaultMessage(e.keyword, params, e.message));
  }
  return out;

  function push(field: string, message: string): void {
    const key = `${field}\u0000${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ field, message });
  }
}

function join(base: string, prop: string): string {
  return base ? `${base}/${prop}` : prop;
}

/** Walks the schema along the error's schemaPath; the outermost string annotation wins. */
function annotatedMessage(root: TSchema, error: RawSchemaError): string | undefined {
  const nodes = schemaNodesAlong(root, error.schemaPath);
  for (const node of nodes) {
    if (typeof node.errorMessage === 'string') return node.errorMessage;
  }
  const target = nodes[nodes.length - 1];
  const perKeyword = target?.errorMessage;
  if (perKeyword !== null && typeof perKeyword === 'object') {
    const message = (perKeyword as Record<string, unknown>)[error.keyword];
    if (typeof message === 'string') return message;
  }
  return undefined;
}

/** The schema objects from the root to the one a schemaPath such as "#/properties/ip/anyOf/0" points at. */
function schemaNodesAlong(root: TSchema, schemaPath: string): Record<string, unknown>[] {
  const nodes: Record<string, unknown>[] = [root as Record<string, unknown>];
  let current: unknown = root;
  // after "properties" or "anyOf" comes a name or index; the value under it is a schema
  let nextIsChild = false;
  for (const raw of schemaPath.replace(/^#\/?/, '').split('/').filter(Boolean)) {
    if (current === null || typeof current !== 'object') break;
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    current = (current as Record<string, unknown>)[segment];
    const isSchema = current !== null && typeof current === 'object' && !Array.isArray(current);
    if (nextIsChild) {
      nextIsChild = false;
      if (isSchema) nodes.push(current as Record<string, unknown>);
    } else if (CONTAINER_KEYWORDS.has(segment)) {
      nextIsChild = true;
    } else if (isSchema) {
      nodes.push(current as Record<string, unknown>);
    }
  }
  return nodes;
}

const CONTAINER_KEYWORDS = new Set([
  'properties',
  'patternProperties',
  'dependentSchemas',
  'anyOf',
  'oneOf',
  'allOf',
  'prefixItems',
  '$defs',
]);

const FORMAT_MESSAGES: Readonly<Record<string, string>> = {
  'date-time': 'must be an ISO-8601 date-time with a time zone, e.g. 2025-01-31T12:00:00Z',
  date: 'must be an ISO-8601 date, e.g. 2025-01-31',
  ipv4: 'must be an IPv4 address',
  ipv6: 'must be an IPv6 address',
  hostname: 'must be a host name',
  uri: 'must be a URI',
  url: 'must be a URL',
  uuid: 'must be a UUID',
  email: 'must be an email address',
};

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

/** Readable wording for the keywords TypeBox words generically; anything else keeps TypeBox's message. */
function defaultMessage(keyword: string, params: Record<string, unknown>, fallback: string): string {
  switch (keyword) {
    case 'type': {
      const types = Array.isArray(params.type) ? params.type : [params.type];
      return `must be ${types.map((t) => TYPE_NAMES[String(t)] ?? String(t)).join(' or ')}`;
    }
    case 'enum': {
      const allowed = Array.isArray(params.allowedValues) ? params.allowedValues : [];
      if (allowed.length > 12) return 'is not one of the allowed values';
      return `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
    }
    case 'const':
      return `must be ${JSON.stringify(params.allowedValue)}`;
    case 'format':
      return FORMAT_MESSAGES[String(params.format)] ?? `must be a valid ${String(params.format)}`;
    case 'minLength':
      return params.limit === 1
        ? 'must not be empty'
        : `must have at least ${String(params.limit)} characters`;
    case 'maxLength':
      return `must have at most ${String(params.limit)} characters`;
    case 'minItems':
      return `must have at least ${String(params.limit)} items`;
    case 'maxItems':
      return `must have at most ${String(params.limit)} items`;
    case 'pattern':
      return `must match the pattern ${String(params.pattern)}`;
    case 'anyOf':
    case 'oneOf':
      return 'does not match any of the allowed shapes';
    default:
      return fallback;
  }
}
