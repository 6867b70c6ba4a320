// Reads the provisioned Grafana dashboards and what each panel query asks Prometheus for.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PanelTarget {
  readonly refId: string;
  readonly expr: string;
  readonly datasource?: { readonly type?: string; readonly uid?: string };
}

export interface Panel {
  readonly id: number;
  readonly title: string;
  readonly type: string;
  readonly datasource?: { readonly type?: string; readonly uid?: string };
  readonly targets?: readonly PanelTarget[];
  readonly panels?: readonly Panel[];
}

export interface Dashboard {
  readonly file: string;
  readonly uid: string;
  readonly title: string;
  readonly panels: readonly Panel[];
}

/** One metric selector of a query: the family it reads and the services its `service` matcher names. */
export interface MetricQuery {
  readonly dashboard: string;
  readonly panel: string;
  readonly expr: string;
  readonly family: string;
  readonly services: readonly string[];
}

export function loadDashboards(dir: string): Dashboard[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({
      file: name,
      ...(JSON.parse(readFileSync(join(dir, name), 'utf8')) as Omit<Dashboard, 'file'>),
    }));
}

/** Panels including those nested in collapsed rows. */
export function allPanels(dashboard: Dashboard): Panel[] {
  return dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}

// A metric selector always carries a matcher here (every query names its service), so a name
// directly followed by `{` is a metric; function names are followed by `(`, labels sit inside `{}`/`()`.
const selector = /([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{([^}]*)\}/g;
const serviceMatcher = /\bservice\s*(=~|=)\s*"([^"]*)"/;
// Histograms are exposed as one family (`# TYPE x histogram`) with these series suffixes.
const histogramSeries = /_(bucket|sum|count)$/;

/**
 * The family a series name belongs to. `_count`/`_sum` also end counters' names in principle, so the
 * caller passes the families a service exposes and only a histogram's series are folded.
 */
export function familyOf(series: string, histograms: ReadonlySet<string>): string {
  const base = series.replace(histogramSeries, '');
  return base !== series && histograms.has(base) ? base : series;
}

/** `service="a"` → [a]; `service=~"a|b"` → [a, b] (only alternations of literal names are allowed). */
export function servicesOf(matchers: string): string[] {
  const match = serviceMatcher.exec(matchers);
  if (match === null) return [];
  const [, op, value = ''] = match;
  if (op === '=') return [value];
  const names = value.split('|');
  if (names.some((n) => !/^[a-z0-9-]+$/.test(n)))
    throw new Error(`service=~"${value}" must be an alternation of literal service names`);
  return names;
}

/** Every metric selector of every panel target, with the series name as written in the query. */
export function metricQueries(dashboard: Dashboard): (Omit<MetricQuery, 'family'> & { series: string })[] {
  return allPanels(dashboard).flatMap((panel) =>
    (panel.targets ?? []).flatMap((target) =>
      [...target.expr.matchAll(selector)].map(([, series = '', matchers = '']) => ({
        dashboard: dashboard.file,
        panel: panel.title,
        expr: target.expr,
        series,
        services: servicesOf(matchers),
      })),
    ),
  );
}

/** `# TYPE <family> <type>` lines of a Prometheus text exposition. */
export function exposedFamilies(exposition: string): Map<string, string> {
  const families = new Map<string, string>();
  for (const line of exposition.split('\n')) {
    const match = /^# TYPE (\S+) (\S+)/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) families.set(match[1], match[2]);
  }
  return families;
}

/** The `service` label the registry puts on every series (read from any sample line). */
export function serviceLabelOf(exposition: string): string | undefined {
  return /^[a-zA-Z_:][\w:]*\{[^}]*\bservice="([^"]+)"/m.exec(exposition)?.[1];
}
