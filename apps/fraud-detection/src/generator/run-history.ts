/** The generator's `history` job without its process shell: labelled payments → payment_history. */
import type { Pool } from 'pg';
import { migrate } from '../db/migrate.ts';
import type { GeneratorCommand } from './cli-args.ts';
import { countHistory, writeHistory } from './history-store.ts';
import { generatePayments } from './stream.ts';

// a progress line every this many rows written (≈ 1 s each)
const writeProgressEvery = 20_000;

export async function runHistory(
  pool: Pool,
  command: Extract<GeneratorCommand, { mode: 'history' }>,
  log: (line: string) => void,
): Promise<void> {
  await migrate(pool);
  const started = performance.now();
  log(`generating labelled payments: ${command.cards} cards over ${command.days} days, seed ${command.seed}`);
  const payments = generatePayments(command);
  const fraud = payments.filter((p) => p.isFraud).length;
  log(
    `generated ${payments.length} payments (${fraud} fraud) for ${command.cards} cards over ${command.days} days, seed ${command.seed}`,
  );
  let reported = 0;
  const result = await writeHistory(pool, payments, {
    onProgress: (written) => {
      if (written - reported < writeProgressEvery || written === payments.length) return;
      reported = written;
      log(`history: ${written}/${payments.length} payments written`);
    },
  });
  const total = await countHistory(pool);
  log(
    `history: ${result.inserted} inserted, ${result.skipped} already there; table holds ${total.payments} (${total.fraud} fraud) — ${Math.round(performance.now() - started)} ms`,
  );
}
