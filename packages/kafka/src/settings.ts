import { KafkaSettingsError } from './errors.ts';

/** Collects setting problems so one KafkaSettingsError can name all of them. */
export class SettingsCheck {
  readonly problems: string[] = [];

  integer(name: string, value: unknown, min: number, max: number): void {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.problems.push(`${name} must be an integer in ${min}..${max}, got ${JSON.stringify(value)}`);
    }
  }

  nonEmpty(name: string, value: unknown): void {
    if (typeof value !== 'string' || value.trim() === '') {
      this.problems.push(`${name} must be a non-empty string, got ${JSON.stringify(value)}`);
    }
  }

  that(ok: boolean, problem: string): void {
    if (!ok) this.problems.push(problem);
  }

  /** Throws when anything was wrong. */
  done(what: string): void {
    if (this.problems.length > 0) throw new KafkaSettingsError(what, this.problems);
  }
}
