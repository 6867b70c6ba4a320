import { readFileSync } from 'node:fs';

/** What the final stage of a Dockerfile sets for the containers run from its image. */
export interface ImageConfig {
  /** `FROM` of the final stage, e.g. node:24.11-bookworm-slim. */
  readonly from: string;
  /** ENV of the final stage (build ARGs substituted). */
  readonly env: Readonly<Record<string, string>>;
  /** WORKDIR (absolute), build ARGs substituted. */
  readonly workdir: string;
  /** USER, e.g. node. */
  readonly user: string;
  /** CMD in its JSON (exec) form, when the stage sets one. */
  readonly cmd?: readonly string[];
}

/**
 * Reads the last stage of `dockerfile` for ENV, WORKDIR and USER, substituting `args` (compose's
 * build.args) and the stage's ARG defaults into `$NAME` / `${NAME}`. Only what the rehearsal needs:
 * one instruction per line (backslash continuations joined), ENV in `KEY=value` form, CMD.
 */
export function readImageConfig(dockerfile: string, args: Readonly<Record<string, string>>): ImageConfig {
  const lines = readFileSync(dockerfile, 'utf8')
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const stageStart = lines.findLastIndex((l) => /^FROM\s/i.test(l));
  if (stageStart === -1) throw new Error(`${dockerfile}: no FROM instruction`);
  const from = (lines[stageStart] as string).split(/\s+/)[1] as string;
  const argValues: Record<string, string> = {};
  const env: Record<string, string> = {};
  let workdir = '/';
  let user = 'root';
  let cmd: string[] | undefined;
  const substitute = (text: string) =>
    text.replace(
      /\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g,
      (_, name: string) => argValues[name] ?? env[name] ?? '',
    );
  for (const line of lines.slice(stageStart + 1)) {
    const [instruction = '', ...rest] = line.split(/\s+/);
    const operand = rest.join(' ');
    switch (instruction.toUpperCase()) {
      case 'ARG': {
        const [name = '', value] = operand.split('=');
        argValues[name] = args[name] ?? value ?? '';
        break;
      }
      case 'ENV':
        for (const [, key, value] of operand.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g))
          env[key as string] = substitute((value as string).replace(/^"|"$/g, ''));
        break;
      case 'WORKDIR': {
        const dir = substitute(operand);
        workdir = dir.startsWith('/') ? dir : `${workdir.replace(/\/$/, '')}/${dir}`;
        break;
      }
      case 'USER':
        user = substitute(operand);
        break;
      case 'CMD':
        cmd = operand.startsWith('[') ? (JSON.parse(operand) as string[]) : ['/bin/sh', '-c', operand];
        break;
    }
  }
  return { from, env, workdir, user, ...(cmd === undefined ? {} : { cmd }) };
}
