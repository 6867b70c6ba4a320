import { StreamkitError } from '@streamkit/runtime';

/** Errors of the generator. `retriable` says whether trying again later can help. */
export class GeneratorError extends StreamkitError {}

/** Nonsense settings (zero cards, a fraction above 1, …), rejected before anything runs. */
export class GeneratorSettingsError extends GeneratorError {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`invalid generator settings: ${problems.join('; ')}`);
    this.problems = problems;
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
