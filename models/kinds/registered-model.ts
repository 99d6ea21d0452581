/** Turns a registry artifact back into a model scoring can use. */
import { ClvError, ErrorCodes } from '../../core/errors.js';
import type { ModelRegistry } from '../../core/ports/model-registry.js';
import { BgNbdGammaGammaModel } from './bgnbd-gamma-gamma-model.js';

/** @throws ClvError NO_MODEL when the version is missing or of a kind this build cannot load. */
export async function loadRegisteredModel(registry: ModelRegistry, version: string): Promise<BgNbdGammaGammaModel> {
  const { info, artifact } = await registry.load(version);
  if (info.kind !== 'bgnbd-gamma-gamma') throw new ClvError(ErrorCodes.NO_MODEL, `model ${version} is a ${info.kind} model, which scoring cannot load`);
  try {
    return BgNbdGammaGammaModel.fromJSON(artifact as ReturnType<BgNbdGammaGammaModel['toJSON']>);
  } catch (cause) {
    throw new ClvError(ErrorCodes.NO_MODEL, `model ${version}: unreadable artifact (${(cause as Error).message})`, { cause });
  }
}
