/** `clv models list | promote <version> | rollback [version]`: flags for app/model-versions.ts. */
import type { Command } from 'commander';
import type { changeChampionAndRescore } from '../../app/model-versions.js';
import { processSettings } from '../../config/environment.js';
import { ClvError, ErrorCodes } from '../../core/errors.js';
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
      const [{ LocalModelRegistry }, { listModels }] = await Promise.all([import('../../adapters/local-directory/local-model-registry.js'), import('../../app/model-versions.js')]);
      process.stdout.write(await listModels(new LocalModelRegistry(config.modelRegistryDir), o.json ?? false));
    });
  const asOf = ['--as-of <date>', 're-score as of the end of this day (YYYY-MM-DD); default each customer\'s last score time'] as const;
  models
    .command('promote')
    .description('make a registered version the champion and re-score everyone with it')
    .argument('<version>')
    .option(...asOf)
    .action(async (version: string, o: ChangeOptions) => {
      await requireVersion(version);
      const { changeChampion } = await import('../../training/champion-change.js');
      return change(o, (deps) => changeChampion(deps, version, 'manual').then(() => version));
    });
  models
    .command('rollback')
    .description('make the previous champion (or the named version) the champion again and re-score everyone with it')
    .argument('[version]')
    .option(...asOf)
    .action(async (version: string | undefined, o: ChangeOptions) => {
      if (version !== undefined) await requireVersion(version);
      const { rollbackChampion } = await import('../../training/champion-change.js');
      return change(o, (deps) => rollbackChampion(deps, version).then((r) => r.version));
    });
}

/** A version argument naming no registered version is a usage error listing the ones there are. */
async function requireVersion(version: string): Promise<void> {
  const { config } = processSettings();
  const { LocalModelRegistry } = await import('../../adapters/local-directory/local-model-registry.js');
  const versions = (await new LocalModelRegistry(config.modelRegistryDir).list()).map((i) => i.version);
  if (versions.includes(version)) return;
  throw new ClvError(ErrorCodes.INVALID_CONFIG, versions.length === 0
    ? `version ${version}: no model is registered in CLV_MODEL_REGISTRY_DIR (${config.modelRegistryDir}) yet; clv train makes one`
    : `version ${version} is not registered; registered: ${versions.slice(-10).join(', ')}${versions.length > 10 ? ' and older (clv models list)' : ''}`);
}

async function change(o: ChangeOptions, apply: Parameters<typeof changeChampionAndRescore>[2]): Promise<void> {
  const { config } = processSettings();
  const asOfMs = asOfFlag(o.asOf, config.timeZone) ?? undefined;
  const { changeChampionAndRescore } = await import('../../app/model-versions.js');
  return changeChampionAndRescore(config, asOfMs, apply);
}
