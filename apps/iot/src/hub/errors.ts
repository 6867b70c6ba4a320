/**
 * Errors of the IoT hub. `retriable` tells a caller whether the same call may succeed later
 * (broker slow, database down) or never will (bad settings); `cause` keeps the underlying error.
 */
export class HubError extends Error {
  readonly retriable: boolean;
  constructor(message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retriable = options.retriable ?? false;
  }
}

/** Settings rejected at construction; the message lists every problem. */
export class HubSettingsError extends HubError {
  readonly problems: readonly string[];
  constructor(component: string, problems: readonly string[]) {
    super(`invalid ${component} settings: ${problems.join('; ')}`);
    this.problems = problems;
  }
}

/** The device registry (Postgres) could not be read or written. */
export class DeviceRegistryError extends HubError {
  constructor(message: string, cause: unknown) {
    super(message, { retriable: true, cause });
  }
}
