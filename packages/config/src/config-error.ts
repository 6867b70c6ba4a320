/** One environment variable that is missing or malformed. */
export interface ConfigProblem {
  readonly variable: string;
  /** e.g. `is required: expected a port number 1..65535` or `expected an integer, got "ten"` */
  readonly message: string;
}

/**
 * The environment does not satisfy a service's configuration spec. Its message lists every problem, one
 * per line, so an operator fixes them all in one go. Secrets' values are never part of it.
 */
export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];
  /** The same environment fails the same way: restarting does not help, fixing it does. */
  readonly retriable = false;
  constructor(problems: readonly ConfigProblem[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    const lines = problems.map((p) => `  ${p.variable}: ${p.message}`);
    super(`invalid configuration (${count}):\n${lines.join('\n')}`);
    this.name = 'ConfigError';
    this.problems = Object.freeze([...problems]);
  }
}

/** The spec itself is nonsense (a default outside its own bounds, a bad variable name): a programming error. */
export class ConfigSpecError extends Error {
  readonly retriable = false;
  constructor(message: string) {
    super(message);
    this.name = 'ConfigSpecError';
  }
}
