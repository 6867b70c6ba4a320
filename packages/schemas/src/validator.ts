import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { toFieldErrors } from './field-errors.ts';

/** One failed constraint: `field` is a JSON-pointer-like path without the leading slash ("amount", "metrics/temperature"). */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export type ValidationResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

/** A compiled runtime validator for one event type. */
export interface Validator<T> {
  /** The event type's name, e.g. "Payment"; used in error messages and DLQ headers. */
  readonly name: string;
  /** The JSON Schema the validator was compiled from (for HTTP route schemas and docs). */
  readonly schema: TSchema;
  validate(value: unknown): ValidationResult<T>;
  is(value: unknown): value is T;
}

/** Thrown where invalid data must not go on (e.g. a producer asked to send an invalid event). */
export class SchemaValidationError extends Error {
  readonly schemaName: string;
  readonly errors: readonly FieldError[];
  /** The same data fails the same way on every attempt. */
  readonly retriable = false;
  constructor(schemaName: string, errors: readonly FieldError[]) {
    super(`invalid ${schemaName}: ${formatFieldErrors(errors)}`);
    this.name = 'SchemaValidationError';
    this.schemaName = schemaName;
    this.errors = errors;
  }
}

export function formatFieldErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => `${e.field || '(root)'}: ${e.message}`).join('; ');
}

export function compileValidator<S extends TSchema>(name: string, schema: S): Validator<Static<S>> {
  if (name.trim() === '') throw new TypeError('compileValidator: the event type needs a name');
  const compiled = Compile(schema);
  return {
    name,
    schema,
    is: (value: unknown): value is Static<S> => compiled.Check(value),
    validate(value: unknown): ValidationResult<Static<S>> {
      if (compiled.Check(value)) return { ok: true, value: value as Static<S> };
      return { ok: false, errors: toFieldErrors(schema, compiled.Errors(value)) };
    },
  };
}
