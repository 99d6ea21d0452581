/** `clv run [roles…]` (and `npm start`): app/processor-process.ts with the process's settings. */
import type { Command } from 'commander';
import { processSettings } from '../../config/environment.js';
import { ProcessRoles, runProcessors } from '../../app/processor-process.js';

export function registerRun(program: Command): void {
  program
    .command('run')
    .description(
      'run stream processors against Kafka + schema registry + Redis, the ClickHouse sink, webhooks, scheduled retraining and the commerce anomaly watch ' +
        `(${ProcessRoles.join(', ')}; default all but training and anomalies, and webhooks only when CLV_WEBHOOKS_FILE is set)`,
    )
    .argument('[processors...]', 'which processors to run in this process')
    .action((names: string[]) => runProcessors(processSettings(), names));
}
