// `node src/compaction/main.ts`: merges the lake's small files per hive partition (run it from cron,
// or beside the processor); exits 0 when done, 1 if it failed.
import { runService } from '@streamkit/runtime';
import { compactionService } from './service.ts';

await runService(compactionService);
