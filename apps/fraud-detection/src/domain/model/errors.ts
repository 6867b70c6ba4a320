import { StreamkitError } from '@streamkit/runtime';

/** Errors of model training and scoring. None is retriable: the input must change. */
export class ModelError extends StreamkitError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { ...options, retriable: false });
  }
}

/** The features given to a model are not the ones it was trained on (names or order differ). */
export class FeatureMismatchError extends ModelError {}

/** Training data or options that cannot produce a model (no rows, one class only, NaN, …). */
export class TrainingInputError extends ModelError {}
