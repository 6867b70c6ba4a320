/**
 * Latency histogram: HdrHistogram recording microseconds from 1 µs to 60 s at 3 significant
 * digits (every value within 0.1 %). The pure-JS build: the WASM one also runs under Node 24 but
 * needs explicit `destroy()` calls, and ~80 ns per record is plenty at the rates we drive.
 */
import { build, type Histogram } from 'hdr-histogram-js';

export const lowestTrackableMicros = 1;
export const highestTrackableMicros = 60_000_000;

/** The latency summary of a report, in milliseconds. */
export interface LatencyPercentiles {
  readonly count: number;
  readonly min: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

/** One point of the latency-by-percentile curve. */
export interface PercentilePoint {
  /** 0 … 100 */
  readonly percentile: number;
  readonly latencyMs: number;
}

export interface LatencyHistogram {
  /** Records one latency; values past 60 s are recorded as 60 s and counted in `saturatedCount`. */
  recordNs(latencyNs: number): void;
  readonly count: number;
  /** Latencies that exceeded the trackable range. */
  readonly saturatedCount: number;
  /** 0 … 100 → milliseconds (0 when empty). */
  valueAtPercentileMs(percentile: number): number;
  percentiles(): LatencyPercentiles;
  /** The curve an HDR plot draws: points evenly spaced on a log(1/(1-p)) axis, ending at max. */
  distribution(pointsPerHalving?: number): PercentilePoint[];
  /** Adds every value of `other` into this histogram. */
  merge(other: LatencyHistogram): void;
}

// lets merge reach the other histogram's storage without exposing the library type
const storage = new WeakMap<LatencyHistogram, { histogram: Histogram; saturated: number }>();

export function createLatencyHistogram(): LatencyHistogram {
  const state = {
    histogram: build({
      bitBucketSize: 32,
      autoResize: false,
      lowestDiscernibleValue: lowestTrackableMicros,
      highestTrackableValue: highestTrackableMicros,
      numberOfSignificantValueDigits: 3,
      useWebAssembly: false,
    }),
    saturated: 0,
  };
  const { histogram } = state;
  const toMs = (micros: number): number => micros / 1000;

  const self: LatencyHistogram = {
    recordNs(latencyNs) {
      let micros = Math.round(latencyNs / 1000);
      if (!(micros >= 0)) micros = 0; // negative (clock skew between sources) or NaN
      if (micros > highestTrackableMicros) {
        micros = highestTrackableMicros;
        state.saturated++;
      }
      histogram.recordValue(micros);
    },
    get count() {
      return histogram.totalCount;
    },
    get saturatedCount() {
      return state.saturated;
    },
    valueAtPercentileMs(percentile) {
      if (histogram.totalCount === 0) return 0;
      return toMs(histogram.getValueAtPercentile(percentile));
    },
    percentiles() {
      const count = histogram.totalCount;
      if (count === 0) return { count, min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 };
      const at = (p: number): number => toMs(histogram.getValueAtPercentile(p));
      return {
        count,
        min: at(0),
        mean: toMs(histogram.mean),
        p50: at(50),
        p90: at(90),
        p95: at(95),
        p99: at(99),
        p999: at(99.9),
        max: toMs(histogram.maxValue),
      };
    },
    distribution(pointsPerHalving = 5) {
      const count = histogram.totalCount;
      if (count === 0) return [];
      const points: PercentilePoint[] = [];
      // step k sits at p = 1 - 2^(-k/n): beyond 1/(1-p) > count the data has no more resolution
      for (let step = 0; ; step++) {
        const tail = 2 ** (-step / pointsPerHalving);
        if (1 / tail > count) break;
        const percentile = 100 * (1 - tail);
        points.push({ percentile, latencyMs: toMs(histogram.getValueAtPercentile(percentile)) });
      }
      points.push({ percentile: 100, latencyMs: toMs(histogram.maxValue) });
      return points;
    },
    merge(other) {
      const from = storage.get(other);
      if (!from) throw new TypeError('merge expects a histogram made by createLatencyHistogram');
      histogram.add(from.histogram);
      state.saturated += from.saturated;
    },
  };
  storage.set(self, state);
  return self;
}
