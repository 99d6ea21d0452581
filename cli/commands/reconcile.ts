/** `clv reconcile --statements FILE`: flags for app/reconcile-statements.ts; exit 0 clean, 1 discrepancies found, 2 an error. */
import type { Command } from 'commander';
import { reconcileNow } from '../../app/reconcile-statements.js';
import { processSettings } from '../../config/environment.js';
import { optionalDateFlag, nonNegativeInt } from './options.js';

interface ReconcileFlags {
  statements: string;
  out: string;
  from?: string;
  to?: string;
  settlementDays: string;
  metricsFile?: string;
}

export function registerReconcile(program: Command): void {
  program
    .command('reconcile')
    .description('reconcile a payment provider\'s settlement statement (CSV: reference,order_id,amount,currency,date) against the stream\'s captures, refunds and orders in ClickHouse; exit 0 clean, 1 discrepancies found')
    .requiredOption('--statements <file>', 'the settlement statement (docs/reconciliation.md)')
    .option('--out <file>', 'the report, one CSV row per discrepancy', 'reconciliation-report.csv')
    .option('--from <date>', 'first day of captures and refunds that must be settled (YYYY-MM-DD); default the statement\'s first date')
    .option('--to <date>', 'last such day; default the statement\'s last date less --settlement-days')
    .option('--settlement-days <n>', 'the provider settles a capture at most this many days after it', '2')
    .option('--metrics-file <file>', 'also write the run\'s metrics in the Prometheus text format (a *.prom file in node_exporter\'s textfile directory)')
    .action(async (o: ReconcileFlags) => {
      const { config } = processSettings();
      const code = await reconcileNow(config, {
        statements: o.statements, out: o.out, metricsFile: o.metricsFile ?? null,
        settlementLagDays: nonNegativeInt(o.settlementDays, '--settlement-days'),
        fromDay: optionalDateFlag(o.from, '--from'), toDay: optionalDateFlag(o.to, '--to'),
      });
      process.exitCode = code;
    });
}
