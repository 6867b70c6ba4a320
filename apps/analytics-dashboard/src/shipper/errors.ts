/** Base of the shipper's errors; `retriable` says whether trying again later may succeed. */
export class ShipperError extends Error {
  readonly retriable: boolean;
  constructor(message: string, options: { retriable: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retriable = options.retriable;
  }
}

/** Nonsense settings, found at construction. */
export class ShipperSettingsError extends ShipperError {
  constructor(message: string) {
    super(message, { retriable: false });
  }
}

/** The checkpoint file could not be read or written. */
export class CheckpointError extends ShipperError {
  constructor(message: string, cause?: unknown) {
    super(message, { retriable: true, cause });
  }
}
