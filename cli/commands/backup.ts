/** `clv backup --out DIR` and `clv restore --from DIR`: flags for app/backup.ts and app/restore-backup.ts. */
import type { Command } from 'commander';
import { backupNow, backupSummaryText, DEFAULT_REDIS_MATCH } from '../../app/backup.js';
import { restoreNow, restoreSummaryText } from '../../app/restore-backup.js';
import { processSettings } from '../../config/environment.js';

export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description('back up the ClickHouse database, the clv keys of Redis and the model registry into a new directory (docs/backups.md)')
    .requiredOption('--out <dir>', 'the backup directory to create (absent or empty)')
    .option('--redis-match <pattern>', 'SCAN MATCH pattern of the Redis keys to back up', DEFAULT_REDIS_MATCH)
    .action(async (o: { out: string; redisMatch: string }) => {
      const { config } = processSettings();
      const manifest = await backupNow(config, { out: o.out, redisMatch: o.redisMatch });
      process.stdout.write(backupSummaryText(manifest, o.out) + '\n');
    });

  program
    .command('restore')
    .description('restore a backup written by clv backup into an empty ClickHouse database, Redis database and model registry (docs/backups.md)')
    .requiredOption('--from <dir>', 'the backup directory')
    .action(async (o: { from: string }) => {
      const { config } = processSettings();
      const report = await restoreNow(config, { from: o.from });
      process.stdout.write(restoreSummaryText(report, config) + '\n');
    });
}
