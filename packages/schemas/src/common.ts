import Type, { type Static } from 'typebox';
import { COUNTRY_CODES } from './codes/countries.ts';
import { CURRENCY_CODES } from './codes/currencies.ts';

/** The characters an id may hold: safe in Kafka keys, Redis keys, URLs, file names and log lines. */
export const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._:-]*$';
export const ID_MAX_LENGTH = 64;

/** An entity or event id ("card-123", a UUID, "acct:42"). */
export const Id = Type.String({
  minLength: 1,
  maxLength: ID_MAX_LENGTH,
  pattern: ID_PATTERN,
  errorMessage: {
    pattern: "must start with a letter or digit and hold only letters, digits, '.', '_', ':' or '-'",
  },
});

/** An RFC 3339 (ISO-8601) date-time with a time zone: "2025-01-31T12:00:00Z", "2025-01-31T13:00:00.250+01:00". */
export const Timestamp = Type.String({ format: 'date-time' });

/** A short non-empty free text (a rule's reason, a model version, an alert message). */
export function Text(maxLength: number) {
  return Type.String({ minLength: 1, maxLength });
}

export const CurrencyCode = Type.Enum(CURRENCY_CODES, {
  description: 'ISO 4217 alphabetic currency code',
  errorMessage: 'must be an ISO 4217 currency code, e.g. "EUR"',
});
export type CurrencyCode = Static<typeof CurrencyCode>;

export const CountryCode = Type.Enum(COUNTRY_CODES, {
  description: 'ISO 3166-1 alpha-2 country code',
  errorMessage: 'must be an ISO 3166-1 alpha-2 country code, e.g. "DE"',
});
export type CountryCode = Static<typeof CountryCode>;

export const IpAddress = Type.Union([Type.String({ format: 'ipv4' }), Type.String({ format: 'ipv6' })], {
  description: 'IPv4 or IPv6 address',
  errorMessage: 'must be an IPv4 or IPv6 address',
});

/** A score in [0, 1] (fraud probability). */
export const Score = Type.Number({ minimum: 0, maximum: 1 });
