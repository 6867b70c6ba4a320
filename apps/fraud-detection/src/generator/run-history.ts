/** The generator's `history` job without its process shell: labelled payments → payment_history. */
import type { Pool } from 'pg';
import { migrate } from '../db/migrate.ts';
import type { GeneratorCommand } from './cli-args.ts';
import { countHistory, writeHistory } from './history-store.ts';
import { generatePayments } from './stream.ts';

export async function runHistory(
  pool: Pool,
  command: Extract<GeneratorCommand, { mode: 'history' }>,
  log: (line: string) => void,
): Promise<void> {
  await migrate(pool);
  const started = performance.now();
  const payments = generatePayments(command);
  const fraud = payments.filter((p) => p.isFraud).length;
  log(
    `generated ${payments.length} payments (${fraud} fraud) for ${command.cards} cards over ${command.days} days, seed ${command.seed}`,
  );
  const result = await writeHistory(pool, payments);
  const total = await countHistory(pool);
  log(
    `history: ${result.inserted} inserted, ${result.skipped} already there; table holds ${total.payments} (${total.fraud} fraud) — ${Math.round(performance.now() - started)} ms`,
  );
}
