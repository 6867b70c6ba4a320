/** What a rehearsal found. It passed when `failures` is empty. */
export interface RehearsalReport {
  readonly profiles: readonly string[];
  readonly passed: boolean;
  readonly services: readonly ServiceOutcome[];
  /** Each makes the rehearsal fail: an unhealthy service, an exit, an event that got nowhere… */
  readonly failures: readonly string[];
  /** Worth fixing, not failing: a start slower than its start_period, a stop that needed SIGKILL… */
  readonly warnings: readonly string[];
  readonly checks: readonly CheckOutcome[];
}

export interface ServiceOutcome {
  readonly name: string;
  /** healthy / completed / started / unhealthy / exited / not started / stand-in / not rehearsed */
  readonly state: string;
  readonly detail: string;
}

export interface CheckOutcome {
  readonly profile: string;
  readonly describe: string;
  readonly result: 'passed' | 'failed' | 'not run';
  readonly detail: string;
}

/** The summary printed at the end of `pnpm compose:rehearse`. */
export function formatReport(report: RehearsalReport): string[] {
  const width = Math.max(...report.services.map((s) => s.name.length), 8);
  const lines = ['', `services (profiles ${report.profiles.join(', ')}):`];
  for (const s of report.services) lines.push(`  ${s.name.padEnd(width)}  ${s.state.padEnd(13)} ${s.detail}`);
  lines.push('ingress → output:');
  if (report.checks.length === 0) lines.push('  (no check for these profiles)');
  for (const c of report.checks)
    lines.push(`  ${c.profile}: ${c.describe}: ${c.result.toUpperCase()} — ${c.detail}`);
  if (report.warnings.length > 0) {
    lines.push('warnings:');
    for (const w of report.warnings) lines.push(`  ! ${w}`);
  }
  if (report.failures.length > 0) {
    lines.push('failures:');
    for (const f of report.failures) lines.push(`  ✗ ${f.replaceAll('\n', '\n    ')}`);
  }
  const skipped = report.services.filter((s) => s.state === 'not rehearsed').map((s) => s.name);
  const partial =
    skipped.length === 0 ? '' : ` — not rehearsed: ${skipped.join(', ')} (only a Docker engine can run them)`;
  lines.push(
    report.passed
      ? `PASS${partial}`
      : `FAIL (${report.failures.length} failure${report.failures.length === 1 ? '' : 's'})${partial}`,
  );
  return lines;
}
