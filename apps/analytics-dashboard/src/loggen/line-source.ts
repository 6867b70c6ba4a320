import { combinedLine, jsonLine } from './access-line.ts';
import { createTraffic, seededRandom } from './traffic.ts';

export const LOG_FORMATS = ['combined', 'json', 'mixed'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface LineSourceSettings {
  readonly seed: number;
  readonly hosts: readonly string[];
  readonly format: LogFormat;
  /** share of 5xx answers */
  readonly errorRate: number;
  /** share of lines that are not access-log lines at all (the shipper's DLQ gets them) */
  readonly malformedRate: number;
}

const MALFORMED = [
  'upstream timed out (110: Connection timed out)',
  '{"ts": "unterminated',
  '- - - [garbage]',
];

/** Makes log lines for a given time: combined, JSON or both, with an occasional malformed one. */
export function createLineSource(settings: LineSourceSettings): (time: number) => string {
  if (!(settings.malformedRate >= 0 && settings.malformedRate <= 1))
    throw new RangeError('malformedRate must be in 0..1');
  const traffic = createTraffic(settings);
  const random = seededRandom(settings.seed ^ 0x5bd1e995);
  return (time) => {
    if (random() < settings.malformedRate)
      return MALFORMED[Math.floor(random() * MALFORMED.length)] as string;
    const json = settings.format === 'json' || (settings.format === 'mixed' && random() < 0.5);
    return json ? jsonLine(traffic(time)) : combinedLine(traffic(time));
  };
}
