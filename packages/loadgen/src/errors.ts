/** Base of the load generator's errors: `retriable` says whether running again may succeed. */
export class LoadgenError extends Error {
  readonly retriable: boolean;
  constructor(message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LoadgenError';
    this.retriable = options.retriable ?? false;
  }
}

/** A command-line flag or setting that makes no sense; the message names it and the expected form. */
export class UsageError extends LoadgenError {
  constructor(message: string) {
    super(message, { retriable: false });
    this.name = 'UsageError';
  }
}

/** A scenario failed to set up or tear down (infrastructure unreachable, topic creation refused, ...). */
export class ScenarioError extends LoadgenError {
  readonly scenario: string;
  constructor(scenario: string, message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(`scenario ${scenario}: ${message}`, options);
    this.name = 'ScenarioError';
    this.scenario = scenario;
  }
}

/** A scenario module declared by a workspace package could not be loaded or is malformed. */
export class ScenarioDiscoveryError extends LoadgenError {
  readonly source: string;
  constructor(source: string, message: string, cause?: unknown) {
    super(`${source}: ${message}`, { retriable: false, cause });
    this.name = 'ScenarioDiscoveryError';
    this.source = source;
  }
}

/** The error kind an operation failure is counted under: an explicit `kind`, else the error's name. */
export function errorKindOf(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const kind = (error as { kind?: unknown }).kind;
    if (typeof kind === 'string' && kind.length > 0) return kind;
    const name = (error as { name?: unknown }).name;
    if (typeof name === 'string' && name.length > 0) return name;
  }
  return 'unknown';
}
