/** `clv models list | promote <version> | rollback [version]`: flags for app/model-versions.ts. */
import type { Command } from 'commander';
import { LocalModelRegistry } from '../../adapters/local-directory/local-model-registry.js';
import { changeChampionAndRescore, listModels } from '../../app/model-versions.js';
import { processSettings } from '../../config/environment.js';
import { changeChampion, rollbackChampion } from '../../training/champion-change.js';
import { asOfFlag } from './options.js';

interface ChangeOptions {
  asOf?: string;
}

export function registerModels(program: Command): void {
  const models = program.command('models').description('list model versions, promote one, roll back the champion');
  models
    .command('list')
    .description('every registered version, oldest first, with its status and holdout figures')
    .option('--json', 'one JSON object per line')
    .action(async (o: { json?: boolean }) => {
      const { config } = processSettings();
      process.stdout.write(await listModels(new LocalModelRegistry(config.modelRegistryDir), o.json ?? false));
    });
  const asOf = ['--as-of <date>', 're-score as of the end of this day (YYYY-MM-DD); default each customer\'s last score time'] as const;
  models
    .command('promote')
    .description('make a registered version the champion and re-score everyone with it')
    .argument('<version>')
    .option(...asOf)
    .action((version: string, o: ChangeOptions) => change(o, (deps) => changeChampion(deps, version, 'manual').then(() => version)));
  models
    .command('rollback')
    .description('make the previous champion (or the named version) the champion again and re-score everyone with it')
    .argument('[version]')
    .option(...asOf)
    .action((version: string | undefined, o: ChangeOptions) => change(o, (deps) => rollbackChampion(deps, version).then((r) => r.version)));
}

function change(o: ChangeOptions, apply: Parameters<typeof changeChampionAndRescore>[2]): Promise<void> {
  const { config } = processSettings();
  return changeChampionAndRescore(config, asOfFlag(o.asOf, config.timeZone) ?? undefined, apply);
}
