import type { LakeDatabase, QueryTicket, Row } from './lake-database.ts';

/**
 * The analytics API's questions to the lake, as parameterised DuckDB SQL. Each is asked with the
 * caller's ticket (client address, time limit) and has a LIMIT of its own.
 */
export interface LakeQueries {
  /** A device's closed 1-minute windows in [from, to). */
  series(deviceId: string, from: Date, to: Date, ticket?: QueryTicket): Promise<Row[]>;
  anomalies(
    filter: {
      deviceId?: string;
      kind?: string;
      from: Date;
      to: Date;
      limit: number;
    },
    ticket?: QueryTicket,
  ): Promise<Row[]>;
  /** Per device over [from, to): last seen, readings, latest battery, uptime (minutes with data / minutes), health. */
  fleet(from: Date, to: Date, ticket?: QueryTicket): Promise<Row[]>;
}

const ts = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');

export function createLakeQueries(db: LakeDatabase): LakeQueries {
  return {
    series: (deviceId, from, to, ticket) =>
      db.query(
        `SELECT window_start, window_end, reading_count,
           temperature_min, temperature_max, temperature_mean, temperature_p95,
           humidity_mean, pressure_mean, battery_min, vibration_max, vibration_p95
         FROM windows WHERE device_id = $device AND window_start >= $from::TIMESTAMP AND window_start < $to::TIMESTAMP
         ORDER BY window_start LIMIT 10000`,
        { device: deviceId, from: ts(from), to: ts(to) },
        ticket,
      ),
    anomalies: ({ deviceId, kind, from, to, limit }, ticket) =>
      db.query(
        `SELECT alert_id, device_id, ts, kind, metric, value, threshold, z_score, message FROM alerts
         WHERE ts >= $from::TIMESTAMP AND ts < $to::TIMESTAMP
           AND ($device = '' OR device_id = $device) AND ($kind = '' OR kind = $kind)
         ORDER BY ts DESC, alert_id LIMIT ${Math.trunc(limit)}`,
        { device: deviceId ?? '', kind: kind ?? '', from: ts(from), to: ts(to) },
        ticket,
      ),
    fleet: (from, to, ticket) => {
      const minutes = Math.max(1, Math.round((to.getTime() - from.getTime()) / 60_000));
      return db.query(
        `SELECT device_id, max(ts) AS last_seen, count(*)::INTEGER AS readings,
           arg_max(battery, ts) AS battery,
           round(least(1.0, count(DISTINCT date_trunc('minute', ts)) / ${minutes}), 4) AS uptime,
           CASE WHEN arg_max(battery, ts) < 10 THEN 'low-battery'
                WHEN max(ts) < $stale::TIMESTAMP THEN 'stale' ELSE 'ok' END AS health
         FROM raw WHERE ts >= $from::TIMESTAMP AND ts < $to::TIMESTAMP
         GROUP BY device_id ORDER BY device_id LIMIT 100000`,
        { from: ts(from), to: ts(to), stale: ts(new Date(to.getTime() - 5 * 60_000)) },
        ticket,
      );
    },
  };
}
