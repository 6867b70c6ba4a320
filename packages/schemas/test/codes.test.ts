import Type from 'typebox';
import { describe, expect, it } from 'vitest';
import {
  COUNTRY_CODES,
  CountryCode,
  CURRENCY_CODES,
  CurrencyCode,
  compileValidator,
  Id,
} from '../src/index.ts';

const currency = compileValidator('Currency', CurrencyCode);
const country = compileValidator('Country', CountryCode);
const id = compileValidator('Id', Id);

describe('ISO code lists', () => {
  it('hold every assigned ISO 3166-1 alpha-2 code once, and nothing else', () => {
    expect(COUNTRY_CODES).toHaveLength(249);
    expect(new Set(COUNTRY_CODES).size).toBe(COUNTRY_CODES.length);
    for (const code of COUNTRY_CODES) expect(code).toMatch(/^[A-Z]{2}$/);
  });

  it('hold the ISO 4217 currencies once, without metals, test or "no currency" codes', () => {
    expect(new Set(CURRENCY_CODES).size).toBe(CURRENCY_CODES.length);
    for (const code of CURRENCY_CODES) expect(code).toMatch(/^[A-Z]{3}$/);
    for (const notMoney of ['XAU', 'XAG', 'XTS', 'XXX', 'XDR'])
      expect(CURRENCY_CODES).not.toContain(notMoney);
  });

  it.each(['USD', 'EUR', 'JPY', 'GBP', 'CHF', 'XOF', 'ZWG'])('accepts currency %s', (code) => {
    expect(currency.is(code)).toBe(true);
  });

  it.each(['ZZZ', 'XXX', 'usd', 'US', 'USDD', 'HRK', ''])(
    'rejects currency "%s" with a readable message',
    (code) => {
      expect(currency.validate(code)).toEqual({
        ok: false,
        errors: [{ field: '', message: 'must be an ISO 4217 currency code, e.g. "EUR"' }],
      });
    },
  );

  it.each(['DE', 'US', 'JP', 'BR', 'AQ', 'GB'])('accepts country %s', (code) => {
    expect(country.is(code)).toBe(true);
  });

  it.each(['XX', 'ZZ', 'UK', 'XK', 'de', 'DEU', ''])(
    'rejects country "%s" with a readable message',
    (code) => {
      expect(country.validate(code)).toEqual({
        ok: false,
        errors: [{ field: '', message: 'must be an ISO 3166-1 alpha-2 country code, e.g. "DE"' }],
      });
    },
  );
});

describe('Id', () => {
  it.each(['a', 'card-42', 'acct:7', 'm_1.b', '0b5e8a4e-8f1c-4c31-9d0e-2f5b7a1c9d11', 'x'.repeat(64)])(
    'accepts "%s"',
    (value) => {
      expect(id.is(value)).toBe(true);
    },
  );

  it.each([
    ['-leading', "must start with a letter or digit and hold only letters, digits, '.', '_', ':' or '-'"],
    ['has space', "must start with a letter or digit and hold only letters, digits, '.', '_', ':' or '-'"],
    ['new\nline', "must start with a letter or digit and hold only letters, digits, '.', '_', ':' or '-'"],
    ['x'.repeat(65), 'must have at most 64 characters'],
    ['', 'must not be empty'],
  ])('rejects "%s"', (value, message) => {
    const result = id.validate(value);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toContainEqual({ field: '', message });
  });

  it('is usable inside other schemas', () => {
    const pair = compileValidator('Pair', Type.Object({ a: Id, b: Id }, { additionalProperties: false }));
    expect(pair.validate({ a: 'ok', b: 'not ok' })).toEqual({
      ok: false,
      errors: [
        {
          field: 'b',
          message: "must start with a letter or digit and hold only letters, digits, '.', '_', ':' or '-'",
        },
      ],
    });
  });
});
