/**
 * The sequence model as a scoring kind (`lstm`): the LSTM with the zero-inflated lognormal
 * output of Wang, Liu & Miao (2019) (models/sequence) values each customer from their recent
 * per-period history and RFM summary; a BG/NBD + Gamma-Gamma companion fitted on the same data
 * supplies what the network does not say — how likely the customer is alive, how many
 * purchases the horizon holds, how spend accumulates beyond the network's label window, and
 * the discounting — exactly as `clv evaluate` stretches the LSTM's label window to a longer
 * one (evaluation/model-evaluation-per-customer.ts: horizonStretch).
 *
 * Per customer, with L the network's label window and H the CLV horizon (days):
 *   spend_H = E_ZILN[spend_L] · E_BG/NBD[X(H)] / E_BG/NBD[X(L)],   CLV = spend_H · (CLV_b / spend_b),
 * where CLV_b / spend_b is the companion's discount ratio for the same customer (discounted
 * over undiscounted expected spend, as the BG/NBD kind applies it to its own interval).
 *
 * Inference runs in batches (`predictBatch`: one call per processor batch or re-score page);
 * `predict`, one customer at a time, is refused because a ModelInput lacks the per-period
 * history. The network runs in plain JavaScript (models/sequence/lstm-clv-forward.ts), not on
 * tfjs, which only trains it: a row's score then costs its arithmetic alone, and is the same
 * whichever rows share its batch and whichever tfjs backend the process has.
 */
import { ClvError, ErrorCodes } from '../../core/errors.js';
import type { CustomerPrediction, CustomerValueModel, ScoringInput } from '../../core/customer-value-model.js';
import type { OneTimeBuyerLapse } from '../../core/one-time-buyer-lapse.js';
import { categoryStatisticsFromJSON, type CategoryStatistics } from '../../core/recommendations/category-statistics.js';
import type { ModelInput } from '../../core/repeat-purchase-summary.js';
import type { SegmentThresholds } from '../../core/segmentation.js';
import { decodeLstmClvArtifact, type LstmClvArtifact } from '../sequence/lstm-clv-artifact.js';
import { LstmClvForward } from '../sequence/lstm-clv-forward.js';
import { RECENT_PURCHASE_WINDOW_DAYS, sequenceRow, sequenceRowOf, type SequenceRow } from '../sequence/sequence-features.js';
import { zilnExpectedValue, zilnQuantile, type ZilnLogits } from '../sequence/ziln-loss.js';
import { BgNbdGammaGammaModel, type BgNbdGammaGammaArtifact } from './bgnbd-gamma-gamma-model.js';

/** The registry artifact of an LSTM model (models/kinds/model-kinds.ts). */
export type LstmArtifact = ReturnType<LstmModel['toJSON']>;

/** The interval every kind reports: 10th to 90th percentile. */
export const LSTM_INTERVAL_QUANTILES = { lower: 0.1, upper: 0.9 } as const;
const LOWER = LSTM_INTERVAL_QUANTILES.lower;
const UPPER = LSTM_INTERVAL_QUANTILES.upper;

export class LstmModel implements CustomerValueModel {
  readonly kind = 'lstm';
  private forward: LstmClvForward | null = null;

  /**
   * @param network the fitted network's artifact (models/sequence/lstm-clv-artifact.ts); its
   *   `features.minorPerUnit` is the network's spend unit in minor units.
   * @param minorPerUnit minor units per currency unit of the scores (100 for cents).
   * @throws TypeError when the network is malformed or reads more history than the streaming
   *   features carry (RECENT_PURCHASE_WINDOW_DAYS).
   */
  constructor(
    readonly version: string,
    readonly network: LstmClvArtifact,
    readonly minorPerUnit: number,
    readonly base: BgNbdGammaGammaModel,
    readonly thresholds: Readonly<SegmentThresholds>,
    readonly categoryStatistics: CategoryStatistics | null = null,
  ) {
    decodeLstmClvArtifact(network);
    const windowDays = network.features.periods * network.features.periodDays;
    if (windowDays > RECENT_PURCHASE_WINDOW_DAYS) {
      throw new TypeError(`the network reads ${windowDays} days of history; the streaming features carry ${RECENT_PURCHASE_WINDOW_DAYS}`);
    }
    if (!(minorPerUnit > 0)) throw new TypeError(`minorPerUnit must be > 0, got ${minorPerUnit}`);
  }

  get periodDays(): number {
    return this.base.periodDays;
  }

  get horizonDays(): number {
    return this.base.horizonDays;
  }

  /** Days of the network's label window (L). */
  get labelDays(): number {
    return this.network.features.horizonPeriods * this.network.features.periodDays;
  }

  /** @throws ClvError NO_MODEL: this kind scores in batches (`predictBatch`). */
  predict(_input: ModelInput): CustomerPrediction {
    throw new ClvError(ErrorCodes.NO_MODEL, `model ${this.version} is an lstm model: it scores customers in batches (predictBatch), not one at a time`);
  }

  /** Predictions from the streaming features' bounded history (ScoringInput.recentDays): what scoring calls. */
  async predictBatch(inputs: readonly ScoringInput[]): Promise<CustomerPrediction[]> {
    const features = this.network.features;
    return this.predictRows(inputs.map((x) => x.input), inputs.map((x) => sequenceRowOf(x.summary, x.recentDays, x.input.asOfDay, features)));
  }

  /**
   * The same from each customer's full purchase days (day → net value, minor units; days after
   * the as-of are ignored), as training and evaluation build rows (`sequenceRow`): the batch
   * predictions the streamed scores are checked against.
   */
  async predictHistories(items: ReadonlyArray<{ input: ModelInput; days: Iterable<readonly [number, number]> }>): Promise<CustomerPrediction[]> {
    const features = this.network.features;
    return this.predictRows(items.map((x) => x.input), items.map((x) => {
      const row = sequenceRow(x.days, x.input.asOfDay, features);
      if (row === null) throw new RangeError(`a customer with no purchase day on or before day ${x.input.asOfDay}`);
      return row;
    }));
  }

  private predictRows(inputs: readonly ModelInput[], rows: readonly SequenceRow[]): CustomerPrediction[] {
    const logits = this.loaded().logits(rows);
    // The network's spend unit in currency units.
    const unit = this.network.features.minorPerUnit / this.minorPerUnit;
    const horizonPeriods = this.horizonDays / this.periodDays;
    const out: CustomerPrediction[] = new Array(inputs.length);
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i];
      const l: ZilnLogits = [logits[3 * i], logits[3 * i + 1], logits[3 * i + 2]];
      const b = this.base.predictPoint(input);
      const short = this.base.expectedPurchasesWithin(input, this.labelDays);
      const long = this.base.expectedPurchasesWithin(input, horizonPeriods * this.periodDays);
      const stretch = short > 0 && Number.isFinite(long / short) ? long / short : 1;
      const baseSpend = b.expectedPurchases * b.expectedAvgValue;
      const discount = baseSpend > 0 ? b.clv / baseSpend : 1;
      const scale = unit * stretch * discount;
      const spend = zilnExpectedValue(l) * unit * stretch;
      // The interval is the ZILN distribution's own 10th and 90th percentiles of spend over the
      // label window (zilnQuantile), carried to the horizon and discounted by the same per-
      // customer factors as the mean: exact for the label window, an approximation beyond it
      // (the stretch scales the whole distribution, not only its mean).
      out[i] = {
        pAlive: b.pAlive,
        expectedPurchases: b.expectedPurchases,
        expectedAvgValue: b.expectedPurchases > 0 ? spend / b.expectedPurchases : 0,
        clv: spend * discount,
        interval: { lower: zilnQuantile(l, LOWER) * scale, upper: zilnQuantile(l, UPPER) * scale, level: UPPER - LOWER },
      };
    }
    return out;
  }

  /** The network's forward pass, built on first use (the constructor already validated the artifact) and kept. */
  private loaded(): LstmClvForward {
    this.forward ??= LstmClvForward.fromArtifact(this.network);
    return this.forward;
  }

  /** Drops the decoded weights (they are rebuilt if the model is used again). */
  async dispose(): Promise<void> {
    this.forward = null;
  }

  /** The same model with other segment thresholds (training sets them from this model's own CLVs). */
  withThresholds(thresholds: Readonly<SegmentThresholds>): LstmModel {
    return new LstmModel(this.version, this.network, this.minorPerUnit, this.base, thresholds, this.categoryStatistics);
  }

  withCategoryStatistics(statistics: CategoryStatistics | null): LstmModel {
    return new LstmModel(this.version, this.network, this.minorPerUnit, this.base, this.thresholds, statistics);
  }

  withOneTimeBuyerLapse(lapse: Pick<OneTimeBuyerLapse, 'atRiskDays' | 'lostDays'>): LstmModel {
    return this.withThresholds({ ...this.thresholds, oneTimeBuyerAtRiskDays: lapse.atRiskDays, oneTimeBuyerLostDays: lapse.lostDays });
  }

  /** For registered details and model runs. */
  metricsJson() {
    const r = this.network.report;
    return {
      lstm: {
        features: this.network.features, architecture: this.network.architecture, backend: r.backend, epochs: r.epochs, best_epoch: r.bestEpoch,
        validation_loss: r.validationLoss, label_days: this.labelDays,
      },
      companion: this.base.metricsJson(),
    };
  }

  toJSON() {
    return {
      format: 1 as const, kind: this.kind, version: this.version, minorPerUnit: this.minorPerUnit, thresholds: this.thresholds,
      network: this.network, base: this.base.toJSON() as BgNbdGammaGammaArtifact, categoryStatistics: this.categoryStatistics,
    };
  }

  static fromJSON(json: ReturnType<LstmModel['toJSON']>): LstmModel {
    if (json?.kind !== 'lstm') throw new TypeError('not an LSTM model');
    return new LstmModel(json.version, json.network, json.minorPerUnit, BgNbdGammaGammaModel.fromJSON(json.base), json.thresholds, categoryStatisticsFromJSON(json.categoryStatistics));
  }
}
