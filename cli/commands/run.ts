/** `clv run [roles…]` (and `npm start`): app/processor-process.ts with the process's settings. */
import type { Command } from 'commander';
import { processSettings } from '../../config/environment.js';

export function registerRun(program: Command): void {
  program
    .command('run')
    .description(
      'run stream processors against Kafka + schema registry + Redis, the ClickHouse sink, webhooks, scheduled retraining and the commerce anomaly watch ' +
        '(purchases, features, scoring, sink, webhooks, training, anomalies; default all but training and anomalies, and webhooks only when CLV_WEBHOOKS_FILE is set)',
    )
    .argument('[processors...]', 'which processors to run in this process')
    .action(async (names: string[]) => {
      const settings = processSettings();
      const { runProcessors } = await import('../../app/processor-process.js');
      const { stopped } = await runProcessors(settings, names);
      await stopped;
      // Everything is committed and closed. After a broker restart kafkajs can keep a
      // reconnect timer or socket alive past disconnect (seen once in the fault suite: the
      // process lingered minutes after "stopped"), so the process ends here, not when it idles.
      process.exit(0);
    });
}
