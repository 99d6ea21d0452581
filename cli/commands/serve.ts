/** `clv serve`: the REST API in production (app/api-server.ts) with the process's settings. */
import type { Command } from 'commander';
import { processSettings } from '../../config/environment.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the REST API over the processors\' Redis state, the model registry and Kafka (CLV_API_HOST:CLV_API_PORT)')
    .action(async () => {
      const settings = processSettings();
      const { serveApi } = await import('../../app/api-server.js');
      return serveApi(settings);
    });
}
