import { SettingsError, StreamkitError } from '@streamkit/runtime';

/** Errors of the generator. `retriable` says whether trying again later can help. */
export class GeneratorError extends StreamkitError {}

/** Nonsense settings (zero cards, a fraction above 1, …), rejected before anything runs. */
export class GeneratorSettingsError extends SettingsError {
  constructor(problems: readonly string[]) {
    super('generator', problems);
  }
}

/** The gateway refused or failed a payment; 429/503/5xx and network failures are retriable. */
export class GatewayError extends GeneratorError {
  readonly status: number | null;
  constructor(message: string, status: number | null, options: { retriable: boolean; cause?: unknown }) {
    super(message, options);
    this.status = status;
  }
}
