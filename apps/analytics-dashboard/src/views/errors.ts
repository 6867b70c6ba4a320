/** Errors of the views layer; `retriable` says whether trying again may help. */
export class ViewsError extends Error {
  readonly retriable: boolean;
  constructor(message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.retriable = options.retriable ?? false;
  }
}

/** Settings that make no sense (rejected at construction, with every problem named). */
export class ViewsSettingsError extends ViewsError {
  readonly problems: readonly string[];
  constructor(what: string, problems: readonly string[]) {
    super(`invalid ${what}: ${problems.join('; ')}`);
    this.problems = problems;
  }
}

/** A statement of an engine's view definitions failed. */
export class ViewMigrationError extends ViewsError {}
