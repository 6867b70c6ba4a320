/**
 * The dashboard's views: names and columns, the contract shared by the three engines' SQL
 * (sql/postgres, sql/risingwave, sql/materialize), the API and the page.
 */
export type ColumnKind = 'timestamp' | 'integer' | 'number' | 'text';

export interface ViewColumn {
  readonly name: string;
  readonly kind: ColumnKind;
}

export interface ViewDefinition {
  readonly name: ViewName;
  readonly description: string;
  /** Width of one window in ms (event time, epoch-aligned, UTC). */
  readonly windowMs: number;
  readonly columns: readonly ViewColumn[];
}

export const VIEW_NAMES = [
  'requests_per_second',
  'requests_per_10s',
  'status_per_minute',
  'error_rate_per_minute',
  'latency_per_route_per_minute',
  'top_paths_5m',
  'unique_clients_per_minute',
] as const;
export type ViewName = (typeof VIEW_NAMES)[number];

const windowColumns: readonly ViewColumn[] = [
  { name: 'window_start', kind: 'timestamp' },
  { name: 'window_end', kind: 'timestamp' },
];

export const VIEWS: Readonly<Record<ViewName, ViewDefinition>> = Object.freeze({
  requests_per_second: {
    name: 'requests_per_second',
    description: 'requests per 1 s tumbling window',
    windowMs: 1000,
    columns: [...windowColumns, { name: 'requests', kind: 'integer' }],
  },
  requests_per_10s: {
    name: 'requests_per_10s',
    description: 'requests per 10 s tumbling window',
    windowMs: 10_000,
    columns: [...windowColumns, { name: 'requests', kind: 'integer' }],
  },
  status_per_minute: {
    name: 'status_per_minute',
    description: 'requests per status class (2xx, 4xx, …) per minute',
    windowMs: 60_000,
    columns: [
      ...windowColumns,
      { name: 'status_class', kind: 'text' },
      { name: 'requests', kind: 'integer' },
    ],
  },
  error_rate_per_minute: {
    name: 'error_rate_per_minute',
    description: 'share of 5xx responses per minute',
    windowMs: 60_000,
    columns: [
      ...windowColumns,
      { name: 'requests', kind: 'integer' },
      { name: 'errors', kind: 'integer' },
      { name: 'error_rate', kind: 'number' },
    ],
  },
  latency_per_route_per_minute: {
    name: 'latency_per_route_per_minute',
    description: 'p50/p95/p99 request time (ms) per route per minute',
    windowMs: 60_000,
    columns: [
      ...windowColumns,
      { name: 'route', kind: 'text' },
      { name: 'requests', kind: 'integer' },
      { name: 'p50_ms', kind: 'number' },
      { name: 'p95_ms', kind: 'number' },
      { name: 'p99_ms', kind: 'number' },
    ],
  },
  top_paths_5m: {
    name: 'top_paths_5m',
    description: 'the ten most requested paths per 5-minute window',
    windowMs: 300_000,
    columns: [
      ...windowColumns,
      { name: 'path', kind: 'text' },
      { name: 'requests', kind: 'integer' },
      { name: 'rank', kind: 'integer' },
    ],
  },
  unique_clients_per_minute: {
    name: 'unique_clients_per_minute',
    description: 'distinct client IPs per minute',
    windowMs: 60_000,
    columns: [...windowColumns, { name: 'unique_clients', kind: 'integer' }],
  },
});

export function isViewName(name: string): name is ViewName {
  return (VIEW_NAMES as readonly string[]).includes(name);
}
