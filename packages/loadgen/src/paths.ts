import { fileURLToPath } from 'node:url';

/** The monorepo's root, found from this file's place in packages/loadgen/src (not from the cwd). */
export function repoRoot(): string {
  return fileURLToPath(new URL('../../../', import.meta.url));
}
