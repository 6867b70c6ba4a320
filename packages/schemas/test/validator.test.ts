import Type from 'typebox';
import { describe, expect, it } from 'vitest';
import { compileValidator, formatFieldErrors, SchemaValidationError } from '../src/index.ts';

const Order = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    qty: Type.Integer({ minimum: 1, maximum: 10 }),
    kind: Type.Enum(['a', 'b']),
    tags: Type.Array(Type.String({ maxLength: 3 }), { maxItems: 2 }),
    address: Type.Object({ zip: Type.String({ pattern: '^[0-9]{5}$' }) }, { additionalProperties: false }),
    at: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);
const order = compileValidator('Order', Order);
const validOrder = { id: 'o1', qty: 2, kind: 'a', tags: ['x'], address: { zip: '12345' } };

describe('compileValidator', () => {
  it('keeps the name and schema, and returns the value itself when valid', () => {
    expect(order.name).toBe('Order');
    expect(order.schema).toBe(Order);
    const result = order.validate(validOrder);
    expect(result.ok && result.value).toBe(validOrder);
    expect(order.is(validOrder)).toBe(true);
    expect(order.is({ ...validOrder, qty: 0 })).toBe(false);
  });

  it('rejects an empty name at construction', () => {
    expect(() => compileValidator(' ', Order)).toThrow(/needs a name/);
  });

  it('words each keyword so the field and the reason are clear', () => {
    const result = order.validate({
      id: '',
      qty: 11,
      kind: 'c',
      tags: ['x', 'y', 'z'],
      address: { zip: 'abc', x: 1 },
      at: 'soon',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual(
      expect.arrayContaining([
        { field: 'id', message: 'must not be empty' },
        { field: 'qty', message: 'must be <= 10' },
        { field: 'kind', message: 'must be one of "a", "b"' },
        { field: 'tags', message: 'must have at most 2 items' },
        { field: 'address/x', message: 'is not allowed' },
      ]),
    );
  });

  it('names nested fields as paths and items by index', () => {
    expect(order.validate({ ...validOrder, tags: ['long!'], address: { zip: '1' } })).toEqual({
      ok: false,
      errors: [
        { field: 'tags/0', message: 'must have at most 3 characters' },
        { field: 'address/zip', message: 'must match the pattern ^[0-9]{5}$' },
      ],
    });
  });

  it('lists every missing property, nested ones under their parent', () => {
    expect(order.validate({ id: 'o1', address: {} })).toEqual({
      ok: false,
      errors: [
        { field: 'qty', message: 'is required' },
        { field: 'kind', message: 'is required' },
        { field: 'tags', message: 'is required' },
        { field: 'address/zip', message: 'is required' },
      ],
    });
  });

  it('uses a string errorMessage for everything under the annotated schema, once per field', () => {
    const Contact = Type.Object({
      reach: Type.Union([Type.String({ format: 'email' }), Type.String({ pattern: '^\\+[0-9]{6,15}$' })], {
        errorMessage: 'must be an email address or a phone number',
      }),
    });
    const contact = compileValidator('Contact', Contact);
    expect(contact.validate({ reach: 'nobody' })).toEqual({
      ok: false,
      errors: [{ field: 'reach', message: 'must be an email address or a phone number' }],
    });
  });

  it('uses a per-keyword errorMessage for that keyword only', () => {
    const Code = Type.Object({
      code: Type.String({
        maxLength: 4,
        pattern: '^[A-Z]+$',
        errorMessage: { pattern: 'must be upper-case letters' },
      }),
    });
    const code = compileValidator('Code', Code);
    expect(code.validate({ code: 'abcdef' })).toEqual({
      ok: false,
      errors: [
        { field: 'code', message: 'must have at most 4 characters' },
        { field: 'code', message: 'must be upper-case letters' },
      ],
    });
  });

  it('finds annotations under a property literally named like a keyword', () => {
    const Odd = Type.Object({
      properties: Type.String({ pattern: '^x$', errorMessage: { pattern: 'must be "x"' } }),
    });
    expect(compileValidator('Odd', Odd).validate({ properties: 'y' })).toEqual({
      ok: false,
      errors: [{ field: 'properties', message: 'must be "x"' }],
    });
  });
});

describe('SchemaValidationError and formatFieldErrors', () => {
  it('formats errors as "field: message" pairs, naming the root', () => {
    expect(
      formatFieldErrors([
        { field: 'amount', message: 'must be >= 1' },
        { field: '', message: 'must be an object' },
      ]),
    ).toBe('amount: must be >= 1; (root): must be an object');
  });

  it('carries the schema name, the errors and a readable message, and is not retriable', () => {
    const errors = [{ field: 'qty', message: 'is required' }];
    const error = new SchemaValidationError('Order', errors);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('SchemaValidationError');
    expect(error.message).toBe('invalid Order: qty: is required');
    expect(error.schemaName).toBe('Order');
    expect(error.errors).toBe(errors);
    expect(error.retriable).toBe(false);
  });
});
