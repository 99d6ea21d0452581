/**
 * The deployable LSTM of a training run (CLV_TRAIN_LSTM): the `lstm` scoring kind
 * (models/kinds/lstm-model.ts) — the network the run fitted on its calibration period and
 * judged on its holdout, with a BG/NBD + GG companion and segment thresholds as of the as-of —
 * registered as a version of its own, `<version>-lstm`, kind `lstm`.
 *
 * It is registered, never promoted by the run: the LSTM is not a candidate of the backtest
 * that chooses the kind (evaluation/model-selection.ts) — on the accuracy benchmark it loses
 * to BG/NBD on every synthetic shop (docs/models.md) — so it becomes the champion only when an
 * operator promotes it (`clv models promote <version>-lstm`), and leaves by `clv models
 * rollback` like any version. Its holdout figures are its network's own (training-lstm.ts),
 * recorded under `details.lstm` of both versions.
 *
 * A failure is reported, never thrown: it cannot cost the run its registered model.
 */
import type { ModelRegistry } from '../core/ports/model-registry.js';
import type { CategoryStatistics } from '../core/recommendations/category-statistics.js';
import type { OneTimeBuyerLapse } from '../core/one-time-buyer-lapse.js';
import { toModelInput, summarizePurchaseDays } from '../core/repeat-purchase-summary.js';
import type { BgNbdGammaGammaModel } from '../models/kinds/bgnbd-gamma-gamma-model.js';
import { trainCustomerValueModel, type TrainingSettings } from '../models/kinds/train-customer-value-model.js';
import { trainLstmModel } from '../models/kinds/train-lstm-model.js';
import type { TrainingData } from './training-data.js';
import type { TrainingLstmRecord, TrainingLstmSettings } from './training-lstm.js';
import type { LstmClvArtifact } from '../models/sequence/lstm-clv-model.js';

/** The version name of a run's deployable LSTM. */
export const lstmVersionOf = (version: string) => `${version}-lstm`;

export interface TrainingLstmKindInput {
  data: TrainingData;
  settings: TrainingSettings;
  lstm: TrainingLstmSettings;
  /**
   * The network the run fitted on its calibration period and judged on its holdout
   * (training-lstm.ts), deployed as it is: its holdout figures are then the deployed network's
   * own, and a run fits the network once, not twice (at 1,000,000 customers each fit took
   * ~2 minutes of a 10-minute budget). Null when that fit failed: a network is fitted here.
   */
  network: LstmClvArtifact | null;
  /** The run's BG/NBD + Gamma-Gamma refit on everything, when that is the kind it deployed (reused as the companion). */
  base: BgNbdGammaGammaModel | null;
  statistics: CategoryStatistics | null;
  lapse: Pick<OneTimeBuyerLapse, 'atRiskDays' | 'lostDays'>;
  /** What the run registers with its own version, for the record. */
  details: { window: object; data: object; run: string; lstm: TrainingLstmRecord | { error: string } | null };
  registeredAt: string;
}

/** What a registered `lstm` version holds for its model-run row. */
export interface RegisteredLstmKind {
  version: string;
  /** The deployed network's figures and its companion's (LstmModel.metricsJson). */
  params: object;
  thresholds: object;
}

/** Fits and registers the run's `lstm` version; what it registered, or why there is none. */
export async function registerTrainingLstmKind(registry: ModelRegistry, x: TrainingLstmKindInput): Promise<RegisteredLstmKind | { error: string }> {
  const version = lstmVersionOf(x.settings.version);
  try {
    const { data, settings } = x;
    const customers = [...data.purchaseDays.values()].flatMap((days) => {
      const list = [...days].filter(([day]) => day <= data.asOfDay);
      const summary = summarizePurchaseDays(list);
      return summary === null ? [] : [{ input: toModelInput(summary, data.asOfDay, settings.periodDays, settings.minorPerUnit), days: list }];
    });
    const s = { ...settings, version };
    const base = x.base ?? trainCustomerValueModel(customers.map((c) => c.input), s);
    const trained = await trainLstmModel({ asOfDay: data.asOfDay, customers }, s, {
      maxEpochs: x.lstm.maxEpochs, seed: x.lstm.seed, base, ...(x.network ? { network: x.network } : {}),
      ...(x.lstm.maxOrigins ? { maxOrigins: x.lstm.maxOrigins } : {}), ...(x.lstm.logger ? { logger: x.lstm.logger } : {}),
    });
    const model = trained.withCategoryStatistics(x.statistics).withOneTimeBuyerLapse(x.lapse);
    await registry.register(
      {
        version,
        kind: model.kind,
        registeredAt: x.registeredAt,
        details: {
          status: 'challenger',
          decision: `not a candidate of the backtest that chooses the kind: registered beside ${settings.version}, promoted only by hand (clv models promote ${version})`,
          trained_with: x.details.run,
          window: x.details.window,
          data: x.details.data,
          customers: customers.length,
          ...(x.details.lstm && { lstm: x.details.lstm }),
          ...model.metricsJson(),
        },
      },
      model.toJSON(),
    );
    return { version, params: model.metricsJson(), thresholds: model.thresholds };
  } catch (error) {
    return { error: (error as Error).message };
  }
}
