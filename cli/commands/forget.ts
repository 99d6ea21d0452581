/** `clv forget <customer>`: flags for app/forget-customer.ts. */
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { createLogger } from '../../app/logger.js';
import { forgetNow } from '../../app/forget-customer.js';
import { processSettings } from '../../config/environment.js';

export function registerForget(program: Command): void {
  program
    .command('forget')
    .description("erase a customer (GDPR/CCPA): processor state, tombstones on the compacted topics, analytics rows; publishes an audit record to clv.erasures.v1")
    .argument('<customer>', 'the customer_id, exactly as in the events')
    .option('--requested-by <who>', 'recorded in the audit record; default cli:<the OS user>')
    .action((customer: string, o: { requestedBy?: string }) => {
      const { config } = processSettings();
      return forgetNow(config, customer, o.requestedBy ?? `cli:${userInfo().username}`, createLogger(config.logLevel));
    });
}
