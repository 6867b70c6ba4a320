// The drivers stand side by side under the shared runners: this reads the imports of src/ and
// checks the layout README "Layout" describes (no cycles, no driver reaching into another or into
// the runners, no client library outside its driver).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../src');
const drivers = ['kafkajs', 'platformatic'] as const;
const libraries: Record<(typeof drivers)[number], string> = {
  kafkajs: 'kafkajs',
  platformatic: '@platformatic/kafka',
};
/** What a driver may use of the shared code: the interface, record shapes, and leaf helpers. */
const sharedForDrivers = ['driver.ts', 'records.ts', 'types.ts', 'errors.ts', 'logger.ts', 'retry.ts'];

interface Import {
  readonly specifier: string;
  readonly dynamic: boolean;
}

/** Every file under src/, relative to it, with the modules it imports (statically or dynamically). */
function readImports(): Map<string, Import[]> {
  const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const pattern = /(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)'([^']+)'/gm;
  return new Map(
    files.map((file) => {
      const text = readFileSync(join(src, file), 'utf8');
      const imports = [...text.matchAll(pattern)].map((m) => ({
        specifier: m[1] ?? '',
        dynamic: m[0].includes('('),
      }));
      return [file, imports];
    }),
  );
}

const imports = readImports();

/** The src/-relative file a relative specifier of `from` names; undefined for a package. */
function target(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return relative(src, resolve(src, dirname(from), specifier));
}

function localEdges(file: string): { to: string; dynamic: boolean }[] {
  return (imports.get(file) ?? []).flatMap(({ specifier, dynamic }) => {
    const to = target(file, specifier);
    return to === undefined ? [] : [{ to, dynamic }];
  });
}

const driverOf = (file: string) => drivers.find((d) => file.startsWith(`${d}/`));

describe('package layout', () => {
  it('reads every source file and resolves every relative import to one', () => {
    expect(imports.size).toBeGreaterThan(20);
    for (const file of imports.keys()) {
      for (const { to } of localEdges(file)) expect(imports.has(to), `${file} → ${to}`).toBe(true);
    }
  });

  it('has no import cycle (static or dynamic imports)', () => {
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' → '));
        return;
      }
      state.set(file, 'visiting');
      for (const { to } of localEdges(file)) visit(to, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of imports.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('keeps each driver to itself: no import of the other driver or of the runners', () => {
    const offending: string[] = [];
    for (const file of imports.keys()) {
      const driver = driverOf(file);
      if (driver === undefined) continue;
      for (const { to } of localEdges(file)) {
        if (driverOf(to) !== driver && !sharedForDrivers.includes(to)) offending.push(`${file} → ${to}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('loads a driver only in client.ts, with a dynamic import of its driver.ts', () => {
    const offending: string[] = [];
    for (const file of imports.keys()) {
      if (driverOf(file) !== undefined) continue;
      for (const { to, dynamic } of localEdges(file)) {
        if (driverOf(to) === undefined) continue;
        if (file !== 'client.ts' || !dynamic || !to.endsWith('/driver.ts')) offending.push(`${file} → ${to}`);
      }
    }
    expect(offending).toEqual([]);
    expect(localEdges('client.ts').filter((e) => driverOf(e.to) !== undefined)).toEqual(
      drivers.map((d) => ({ to: `${d}/driver.ts`, dynamic: true })),
    );
  });

  it('uses each client library in its driver only', () => {
    const offending: string[] = [];
    for (const [file, list] of imports) {
      const own = driverOf(file);
      for (const { specifier } of list) {
        const library = drivers.find((d) => libraries[d] === specifier);
        if (library !== undefined && library !== own) offending.push(`${file} → ${specifier}`);
      }
    }
    expect(offending).toEqual([]);
    for (const d of drivers) {
      const users = [...imports].filter(([, list]) => list.some((i) => i.specifier === libraries[d]));
      expect(users.length, `${libraries[d]} used in ${d}/`).toBeGreaterThan(0);
    }
  });
});
