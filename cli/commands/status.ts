/** `clv status [--json]`: app/status-report.ts; exits 1 when a service is down. */
import type { Command } from 'commander';
import { processSettings } from '../../config/environment.js';
import { ExitCodes } from '../exit-codes.js';
import { positiveInt } from './options.js';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('services reachable (Kafka, schema registry, Redis, ClickHouse), lag per consumer group (0: caught up), the newest score, the champion and its age; exit 1 when a service is down')
    .option('--json', 'one JSON object instead of lines')
    .option('--timeout-ms <ms>', 'longest each check may take', '3000')
    .action(async (o: { json?: boolean; timeoutMs: string }) => {
      const [settings, timeoutMs] = [processSettings(), positiveInt(o.timeoutMs, '--timeout-ms')];
      const [{ statusReport }, { statusText }] = await Promise.all([import('../../app/status-report.js'), import('../../app/status-text.js')]);
      const report = await statusReport(settings, { timeoutMs });
      process.stdout.write(o.json ? `${JSON.stringify(report)}\n` : statusText(report));
      if (!report.ok) process.exitCode = ExitCodes.runtime;
    });
}
