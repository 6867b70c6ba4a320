/** Base of every error the demo runner reports; `retriable` says whether running again may help. */
export class DemoError extends Error {
  readonly retriable: boolean;

  constructor(message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retriable = options.retriable ?? false;
  }
}

/** A demo module or built-in pipeline does not have the DemoPipeline shape. */
export class InvalidPipelineError extends DemoError {
  readonly source: string;
  readonly problems: readonly string[];

  constructor(source: string, problems: readonly string[], cause?: unknown) {
    super(`invalid demo pipeline in ${source}:\n  - ${problems.join('\n  - ')}`, { cause });
    this.source = source;
    this.problems = problems;
  }
}

/** Two pipelines claim the same name. */
export class DuplicatePipelineError extends DemoError {
  constructor(name: string, sources: readonly string[]) {
    super(`demo pipeline name "${name}" is declared more than once: ${sources.join(', ')}`);
  }
}

/** A service exited or missed its readiness deadline before it was ready. */
export class ServiceStartError extends DemoError {
  readonly service: string;

  constructor(service: string, reason: string, cause?: unknown) {
    // Readiness can fail on a loaded machine; starting again may work.
    super(`service ${service} failed to start: ${reason}`, { retriable: true, cause });
    this.service = service;
  }
}
