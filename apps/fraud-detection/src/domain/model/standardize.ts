import { TrainingInputError } from './errors.ts';

export type Row = ArrayLike<number>;

export interface Standardization {
  readonly means: number[];
  /** a constant column gets 1, so it standardises to 0 instead of dividing by zero */
  readonly stds: number[];
}

/** Mean and (population) standard deviation of each column. */
export function fitStandardization(rows: readonly Row[], width: number): Standardization {
  if (rows.length === 0) throw new TrainingInputError('cannot standardise zero rows');
  const means = new Array<number>(width).fill(0);
  const squares = new Array<number>(width).fill(0);
  for (const row of rows) {
    if (row.length !== width)
      throw new TrainingInputError(`a row has ${row.length} values, expected ${width}`);
    for (let j = 0; j < width; j++) {
      const v = row[j] ?? Number.NaN;
      if (!Number.isFinite(v)) throw new TrainingInputError(`feature ${j} is not a finite number (${v})`);
      means[j] = (means[j] ?? 0) + v;
    }
  }
  for (let j = 0; j < width; j++) means[j] = (means[j] ?? 0) / rows.length;
  for (const row of rows) {
    for (let j = 0; j < width; j++) squares[j] = (squares[j] ?? 0) + ((row[j] ?? 0) - (means[j] ?? 0)) ** 2;
  }
  const stds = squares.map((s) => {
    const std = Math.sqrt(s / rows.length);
    return std > 1e-12 ? std : 1;
  });
  return { means, stds };
}

/** The rows as one row-major matrix of standardised values. */
export function standardize(rows: readonly Row[], { means, stds }: Standardization): Float64Array {
  const width = means.length;
  const out = new Float64Array(rows.length * width);
  rows.forEach((row, i) => {
    for (let j = 0; j < width; j++) out[i * width + j] = ((row[j] ?? 0) - (means[j] ?? 0)) / (stds[j] ?? 1);
  });
  return out;
}
