/**
 * Every kind of model that can score customers, and the one way an artifact (what training
 * stores in the model registry) becomes a model: scoring, the API, training and the CLI all
 * load through here, so any kind can be the champion.
 *
 * Artifacts carry `format`, the version of their layout: a build loads only the format it
 * writes (before 1.0 nothing stored needs to outlive a format change — retrain instead).
 */
import { ClvError, ErrorCodes } from '../../core/errors.js';
import type { CustomerValueModel } from '../../core/customer-value-model.js';
import type { ModelRegistry } from '../../core/ports/model-registry.js';
import { BgNbdGammaGammaModel, type BgNbdGammaGammaArtifact } from './bgnbd-gamma-gamma-model.js';
import { EnsembleModel, type EnsembleArtifact } from './ensemble-model.js';
import { LstmModel, type LstmArtifact } from './lstm-model.js';
import { SeasonalBgNbdGammaGammaModel, type SeasonalBgNbdGammaGammaArtifact } from './seasonal-bgnbd-gamma-gamma-model.js';

/** The layout version of every model artifact this build writes and reads. */
export const MODEL_ARTIFACT_FORMAT = 1;

export const ModelKinds = ['bgnbd-gamma-gamma', 'seasonal-bgnbd-gamma-gamma', 'ensemble', 'lstm', 'rfm-rules'] as const;
export type ModelKind = (typeof ModelKinds)[number];

/** The kinds training registers; the RFM rules are built from settings, never stored. */
const LoadableKinds: readonly ModelKind[] = ModelKinds.filter((k) => k !== 'rfm-rules');

/**
 * The model an artifact describes.
 * @throws ClvError NO_MODEL naming the version when the kind is unknown, the format is not
 *   this build's, or the artifact is malformed.
 */
export function modelFromArtifact(version: string, kind: string, artifact: unknown): CustomerValueModel {
  if (!(ModelKinds as readonly string[]).includes(kind) || kind === 'rfm-rules') {
    throw new ClvError(ErrorCodes.NO_MODEL, `model ${version} is a ${kind} model, which this build cannot load (kinds it loads: ${LoadableKinds.join(', ')})`);
  }
  const format = (artifact as { format?: unknown } | null)?.format;
  if (format !== MODEL_ARTIFACT_FORMAT) {
    throw new ClvError(ErrorCodes.NO_MODEL, `model ${version}: artifact format ${JSON.stringify(format ?? null)}, this build reads format ${MODEL_ARTIFACT_FORMAT} (retrain to replace it)`);
  }
  try {
    switch (kind) {
      case 'bgnbd-gamma-gamma':
        return BgNbdGammaGammaModel.fromJSON(artifact as BgNbdGammaGammaArtifact);
      case 'seasonal-bgnbd-gamma-gamma':
        return SeasonalBgNbdGammaGammaModel.fromJSON(artifact as SeasonalBgNbdGammaGammaArtifact);
      case 'ensemble':
        return EnsembleModel.fromJSON(artifact as EnsembleArtifact);
      case 'lstm':
        return LstmModel.fromJSON(artifact as LstmArtifact);
    }
  } catch (cause) {
    throw new ClvError(ErrorCodes.NO_MODEL, `model ${version}: unreadable ${kind} artifact (${(cause as Error).message})`, { cause });
  }
  throw new ClvError(ErrorCodes.NO_MODEL, `model ${version}: no loader for kind ${kind}`);
}

/** The registered version as a scoring model. @throws ClvError NO_MODEL (see modelFromArtifact). */
export async function loadRegisteredModel(registry: ModelRegistry, version: string): Promise<CustomerValueModel> {
  const { info, artifact } = await registry.load(version);
  return modelFromArtifact(version, info.kind, artifact);
}
