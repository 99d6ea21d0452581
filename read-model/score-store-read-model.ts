/**
 * The API's read model over the scoring processor's state store (in memory or Redis) and the
 * models in use. Customer lookups go to the store; segment sizes and segment pages come from
 * an in-process segment index (customer id → segment, and per segment a sorted id set), so a
 * page costs O(log n + page) instead of a scan.
 *
 * Keeping the index current, two ways:
 * - incremental (embedded mode): the pipeline writes scores through `scoresStore`, which
 *   updates the index as it writes. Nothing is scanned after start-up.
 * - `refreshIndexEveryMs` (a separate API process over Redis, which sees no writes): a segment
 *   query rebuilds the index from a full scan of the store when the last one is older than
 *   that, O(customers) once per interval. Between rebuilds, segment queries are that stale.
 * Memory: about 200 bytes per customer for the index (segment-index.ts).
 *
 * For the dashboard: segment sizes are snapshotted after each score write (read-model-series.ts);
 * CLV distributions and the action summary come from the index; revenue actuals from a scan of
 * the purchase histories once `readRevenueFrom` is given them, at most once per `revenueMaxAgeMs`.
 * Per-segment actuals and the flows between segments need segment membership as of past
 * times, which the state stores do not keep (a score state is the latest only): they are
 * asked of the analytics store's score history once `readScoreHistoryFrom` is given one, on
 * every request (not cached: the queries depend on the segment and the times).
 *
 * Models come from a ModelCatalogue (read-model/model-catalogue.ts): the current champion,
 * versions recorded in process, and the model registry when one is given.
 */
import type { ActionPolicy } from '../core/action-policy.js';
import type { AnalyticsStore } from '../core/ports/analytics-store.js';
import type { DayIndexer } from '../core/calendar.js';
import { calendarPeriods } from '../core/calendar-periods.js';
import { clvHistogram, type ClvHistogram } from '../core/clv-histogram.js';
import type {
  ClvExplanation, ClvReadModel, CustomerView, RevisedCustomer, ModelDetail, ModelSummary, PeriodRange, RevenueActuals, RevenueForecast, RevenueSpan, SegmentPage, SegmentSizes,
  SegmentSnapshot,
} from '../core/ports/clv-read-model.js';
import type { ActionSummary, ChampionAccuracy, SegmentFlow, SegmentFlows } from '../core/ports/clv-read-model-reports.js';
import type { ModelRegistry } from '../core/ports/model-registry.js';
import type { StateStore } from '../core/ports/state-store.js';
import { Segments, type Segment } from '../core/segmentation.js';
import type { CustomerPurchaseHistory } from '../processors/features/customer-purchase-history.js';
import { modelInputOf, type CustomerScoreState } from '../processors/scoring/customer-scorer.js';
import type { CustomerValueModel } from '../core/customer-value-model.js';
import { BgNbdGammaGammaModel } from '../models/kinds/bgnbd-gamma-gamma-model.js';
import { LstmModel } from '../models/kinds/lstm-model.js';
import { batchPredictions } from '../processors/scoring/batch-predictions.js';
import { EnsembleModel } from '../models/kinds/ensemble-model.js';
import { SeasonalBgNbdGammaGammaModel } from '../models/kinds/seasonal-bgnbd-gamma-gamma-model.js';
import { actionSummary } from './action-summary.js';
import { customerModelBacktest, liveForecastCheck } from './champion-accuracy.js';
import { ModelCatalogue } from './model-catalogue.js';
import { revenueByHour, revenueOfPeriods, revenueSpanOf, SegmentHistory } from './read-model-series.js';
import { SegmentIndex } from './segment-index.js';

export interface ScoreStoreReadModelOptions {
  /** The scoring processor's state store. */
  scores: StateStore<CustomerScoreState>;
  /** The champion the pipeline scores with (e.g. `() => pipeline.currentModel()`). */
  currentModel: () => CustomerValueModel | null;
  /** Where trained versions are kept; lists and loads older versions (optional). */
  registry?: ModelRegistry;
  /** The scoring settings the pipeline uses. */
  scoring: { dayOf: DayIndexer; policy: ActionPolicy; minorPerUnit: number };
  /** The shop's currency and time zone (the one `scoring.dayOf` counts days in), for reasons and calendar months; default USD, UTC. */
  shop?: { currency: string; timeZone: string };
  /** Rebuild the segment index from a scan when older than this (see above); off by default. */
  refreshIndexEveryMs?: number;
  /** How stale revenue actuals may be before the histories are scanned again (default 60 s). */
  revenueMaxAgeMs?: number;
  /**
   * The readiness probe of the backing store; default: count the scores, which on Redis is a
   * full SCAN — give a Redis-backed read model `() => redis.ping()`.
   */
  ping?: () => Promise<unknown>;
  /** Wall clock, ms. */
  now?: () => number;
}

export class ScoreStoreReadModel implements ClvReadModel {
  /** The store the pipeline must write scores through for the incremental index. */
  readonly scoresStore: StateStore<CustomerScoreState>;
  private index = new SegmentIndex();
  private indexBuiltAtMs = -Infinity;
  private rebuilding: Promise<void> | null = null;
  private readonly catalogue: ModelCatalogue;
  /** Revenue forecasts by segment; the key null holds all customers'. */
  private readonly forecasts = new Map<Segment | null, RevenueForecast>();
  private readonly history = new SegmentHistory();
  private histories: StateStore<CustomerPurchaseHistory> | null = null;
  private revenue: { hours: Map<number, number>; atMs: number } | null = null;
  private revenueScan: Promise<Map<number, number>> | null = null;
  private analytics: Pick<AnalyticsStore, 'segmentRevenueByHour' | 'segmentFlows'> | null = null;
  private readonly now: () => number;

  constructor(private readonly options: ScoreStoreReadModelOptions) {
    this.now = options.now ?? Date.now;
    this.catalogue = new ModelCatalogue(options.currentModel, options.registry);
    const inner = options.scores;
    this.scoresStore = {
      getMany: (keys) => inner.getMany(keys),
      ...(inner.getManyRevised && { getManyRevised: (keys: readonly string[]) => inner.getManyRevised!(keys) }),
      setMany: async (entries, writeOptions) => {
        await inner.setMany(entries, writeOptions);
        // After the write: the index never shows a score the store does not have.
        for (const [id, state] of entries) this.index.set(id, state, this.actionOf(state));
        this.snapshotSegments();
      },
      scan: (pageSize) => inner.scan(pageSize),
      scanPrefix: (prefix, pageSize) => inner.scanPrefix(prefix, pageSize),
      deleteMany: async (keys) => {
        const deleted = await inner.deleteMany(keys);
        for (const id of keys) this.index.delete(id);
        this.snapshotSegments();
        return deleted;
      },
      size: () => inner.size(),
    };
  }

  /** Records a trained model (with when and how well: `details` as training records them), e.g. right after training. */
  recordModel(model: CustomerValueModel, info: { trainedAtMs?: number; metrics?: Record<string, number>; details?: unknown } = {}): void {
    this.catalogue.record(model, info);
  }

  /** Sets (or, with null, removes) the revenue forecast of all customers, or of `segment`'s. */
  setRevenueForecast(forecast: RevenueForecast | null, segment: Segment | null = null): void {
    if (forecast === null) this.forecasts.delete(segment);
    else this.forecasts.set(segment, forecast);
  }

  /** The purchase histories store (the features processor's) that revenue actuals are summed from. */
  readRevenueFrom(histories: StateStore<CustomerPurchaseHistory>): void {
    this.histories = histories;
    this.revenue = null;
  }

  /** The analytics store whose score history per-segment actuals and segment flows come from. */
  readScoreHistoryFrom(analytics: Pick<AnalyticsStore, 'segmentRevenueByHour' | 'segmentFlows'>): void {
    this.analytics = analytics;
  }

  /** Rebuilds the segment index from a full scan: for a store that already holds scores. */
  async rebuildIndex(): Promise<void> {
    const fresh = new SegmentIndex();
    for await (const page of this.options.scores.scan(10_000)) for (const [id, state] of page) fresh.set(id, state, this.actionOf(state));
    this.index = fresh;
    this.indexBuiltAtMs = this.now();
    this.snapshotSegments();
  }

  async customer(customerId: string): Promise<CustomerView | null> {
    const state = (await this.options.scores.getMany([customerId])).get(customerId);
    return state ? this.viewOf(customerId, state) : null;
  }

  /**
   * The revision is the store's (Redis: the stored text), or the state object where the store
   * has none, so that a reader keeping a document per revision can skip decoding the state.
   */
  async customerRevised(customerId: string): Promise<RevisedCustomer | null> {
    const scores = this.options.scores;
    if (scores.getManyRevised) {
      const found = (await scores.getManyRevised([customerId])).get(customerId);
      return found ? { revision: found.revision, view: () => this.viewOf(customerId, found.value()) } : null;
    }
    const state = (await scores.getMany([customerId])).get(customerId);
    return state ? { revision: state, view: () => this.viewOf(customerId, state) } : null;
  }

  private async viewOf(customerId: string, state: CustomerScoreState): Promise<CustomerView> {
    const view: CustomerView = { customerId, currency: state.features.currency, features: state.features, score: null };
    if (state.segment === null || state.modelVersion === null) return view;
    const model = await this.catalogue.modelFor(state.modelVersion);
    const rule = this.options.scoring.policy.segments[state.segment];
    const r = state.recommendation;
    view.score = {
      modelVersion: state.modelVersion,
      clvMinor: state.clvMinor,
      segment: state.segment,
      action: r?.action ?? rule.action,
      // As on segment-change events: the segment's reason unless the recommendation overrode its action.
      actionReason: !r || r.action === rule.action ? rule.reason : r.reason,
      recommendation: r && { categories: r.categories, reason: r.reason, minUnitPriceMinor: r.minUnitPriceMinor },
      horizonDays: model?.horizonDays ?? 0,
      interval: state.interval,
      explanation: model ? await this.explain(state, model) : null,
    };
    return view;
  }

  async segmentSizes(): Promise<SegmentSizes> {
    await this.refreshIfStale();
    return this.sizesNow();
  }

  async segmentHistory(): Promise<SegmentSnapshot[]> {
    await this.refreshIfStale();
    return this.history.snapshots();
  }

  async clvDistribution(bins: number): Promise<ClvHistogram> {
    await this.refreshIfStale();
    return clvHistogram([...this.index.scored.values()].map((e) => e.clvMinor), bins);
  }

  async revenueActuals(range: PeriodRange): Promise<RevenueActuals | null> {
    const hours = await this.revenueHours();
    return hours && revenueOfPeriods(hours, range);
  }

  async revenueSpan(): Promise<RevenueSpan | null> {
    const hours = await this.revenueHours();
    return hours && revenueSpanOf(hours);
  }

  async segmentRevenueActuals(segment: Segment, membershipAsOfMs: number | null, range: PeriodRange): Promise<RevenueActuals | null> {
    if (this.analytics === null) return null;
    const b = range.boundariesMs;
    const { hours, latestOrderHourMs } = await this.analytics.segmentRevenueByHour({ segment, membershipAsOfMs, fromMs: b[0], toMs: b.at(-1)! });
    return { points: revenueOfPeriods(hours, range).points, latestHourMs: latestOrderHourMs };
  }

  async segmentFlows(range: { fromMs: number; toMs: number }, examplesPerFlow: number): Promise<SegmentFlows | null> {
    if (this.analytics === null) return null;
    const r = await this.analytics.segmentFlows({ ...range, examplesPerFlow });
    const known = (s: string | null): s is Segment => (Segments as readonly (string | null)[]).includes(s);
    // Segment names the history holds that this build does not know (a renamed segment) are left out.
    const flows: SegmentFlow[] = r.flows
      .filter((f) => known(f.toSegment) && (f.fromSegment === null || known(f.fromSegment)))
      .map((f) => ({ from: f.fromSegment as Segment | null, to: f.toSegment as Segment, customers: f.customers, examples: f.examples }));
    const order = (s: Segment | null) => (s === null ? -1 : Segments.indexOf(s));
    flows.sort((a, b) => Number(a.from === a.to) - Number(b.from === b.to)
      || (a.from === a.to ? order(a.to) - order(b.to) : b.customers - a.customers || order(a.from) - order(b.from) || order(a.to) - order(b.to)));
    return { ...range, flows, latestChangeMs: r.latestChangeMs };
  }

  async actionSummary(examplesPerGroup: number): Promise<ActionSummary> {
    await this.refreshIfStale();
    const { policy, minorPerUnit } = this.options.scoring;
    return actionSummary(this.index, this.options.scores, policy, { currency: this.currency(), minorPerUnit }, examplesPerGroup);
  }

  async championAccuracy(): Promise<ChampionAccuracy> {
    const champion = (await this.catalogue.list()).find((m) => m.status === 'champion') ?? null;
    const details = champion === null ? null : await this.catalogue.details(champion.version);
    const forecast = this.forecasts.get(null) ?? null;
    return {
      champion: champion && { version: champion.version, kind: champion.kind, trainedAtMs: champion.trainedAtMs },
      customerModel: customerModelBacktest(details, this.options.scoring.minorPerUnit),
      revenueForecast: forecast && { modelVersion: forecast.modelVersion, backtest: forecast.backtest ?? null, live: await this.liveCheck(forecast) },
    };
  }

  async customersOfSegment(segment: Segment, page: { after: string | null; limit: number }): Promise<SegmentPage> {
    await this.refreshIfStale();
    const ids = this.index.members.get(segment)!.after(page.after, page.limit + 1);
    const more = ids.length > page.limit;
    if (more) ids.length = page.limit;
    const states = ids.length > 0 ? await this.options.scores.getMany(ids) : new Map<string, CustomerScoreState>();
    const customers = [];
    for (const id of ids) {
      const s = states.get(id);
      if (s) customers.push({ customerId: id, clvMinor: s.clvMinor, modelVersion: s.modelVersion });
    }
    return { customers, next: more ? ids[ids.length - 1] : null };
  }

  models(): Promise<ModelSummary[]> {
    return this.catalogue.list();
  }

  model(version: string): Promise<ModelDetail | null> {
    return this.catalogue.detail(version);
  }

  async revenueForecast(segment?: Segment): Promise<RevenueForecast | null> {
    return this.forecasts.get(segment ?? null) ?? null;
  }

  async ping(): Promise<void> {
    if (this.options.ping) await this.options.ping();
    else await this.options.scores.size();
  }

  /** Recomputes the score's numbers with the model that produced it. */
  private async explain(state: CustomerScoreState, model: CustomerValueModel): Promise<ClvExplanation> {
    const { dayOf, minorPerUnit } = this.options.scoring;
    const asOfMs = state.asOfMs ?? state.features.event_time;
    const input = modelInputOf(state.features, asOfMs, model.periodDays, dayOf, minorPerUnit);
    // A batch model (the LSTM) through the same call scoring makes, with a batch of one.
    const p = (await batchPredictions(model, [{ features: state.features, asOfMs }], this.options.scoring))?.[0] ?? model.predict(input);
    const rate = discountRateOf(model);
    const parts = model instanceof EnsembleModel
      ? model.members.map((m) => ({ name: m.name, kind: m.model.kind, weight: m.weight, clv: m.model.predict(input).clv }))
      : null;
    return {
      modelKind: model.kind,
      asOfMs,
      periodDays: model.periodDays,
      frequency: input.frequency,
      recency: input.recency,
      T: input.T,
      monetaryValue: input.monetaryValue,
      pAlive: p.pAlive,
      expectedPurchases: p.expectedPurchases,
      expectedAvgValue: p.expectedAvgValue,
      expectedSpend: p.expectedPurchases * p.expectedAvgValue,
      horizonDays: model.horizonDays,
      monthlyDiscountRate: rate,
      clv: p.clv,
      parts,
      matchesScore: Math.round(p.clv * minorPerUnit) === state.clvMinor,
    };
  }

  /** Hourly revenue from the purchase histories, scanned at most once per revenueMaxAgeMs; null without them. */
  private async revenueHours(): Promise<Map<number, number> | null> {
    const histories = this.histories;
    if (histories === null) return null;
    if (this.revenue === null || this.now() - this.revenue.atMs >= (this.options.revenueMaxAgeMs ?? 60_000)) {
      // One scan at a time, however many requests wait on it.
      this.revenueScan ??= revenueByHour(histories).finally(() => { this.revenueScan = null; });
      this.revenue = { hours: await this.revenueScan, atMs: this.now() };
    }
    return this.revenue.hours;
  }

  /** The forecast of all customers against the revenue booked since it began, over the months that are over. */
  private async liveCheck(forecast: RevenueForecast) {
    const span = await this.revenueSpan();
    const first = forecast.points[0];
    if (span === null || first === undefined) return null;
    const timeZone = this.options.shop?.timeZone ?? 'UTC';
    const days = calendarPeriods(forecast.granularity, timeZone);
    const forecastEndMs = days.boundaries(forecast.points.at(-1)!.periodStartMs, { count: 1 })[1];
    const window = { fromMs: first.periodStartMs, toMs: Math.min(forecastEndMs, calendarPeriods('month', timeZone).startOf(span.latestHourMs)) };
    if (window.toMs <= window.fromMs) return null;
    const boundariesMs = calendarPeriods('day', timeZone).boundaries(window.fromMs, { untilMs: window.toMs - 1 });
    const actual = await this.revenueActuals({ boundariesMs });
    if (actual === null) return null;
    const { dayOf } = this.options.scoring;
    return liveForecastCheck(forecast, actual.points.map((p) => ({ day: dayOf(p.periodStartMs), value: p.actualMinor })), window, dayOf);
  }

  /** The action a score recommends: its recommendation's, else its segment's in the policy (scores from before recommendations). */
  private actionOf(state: CustomerScoreState) {
    if (state.segment === null) return null;
    return state.recommendation?.action ?? this.options.scoring.policy.segments[state.segment].action;
  }

  private currency(): string {
    return this.options.shop?.currency ?? 'USD';
  }

  private sizesNow(): SegmentSizes {
    const segments = Object.fromEntries(Segments.map((s) => [s, this.index.members.get(s)!.size])) as Record<Segment, number>;
    const scored = Object.values(segments).reduce((a, b) => a + b, 0);
    return { segments, unscored: this.index.segmentOf.size - scored };
  }

  private snapshotSegments(): void {
    if (this.index.watermarkMs > -Infinity) this.history.record({ atMs: this.index.watermarkMs, ...this.sizesNow() });
  }

  private async refreshIfStale(): Promise<void> {
    const every = this.options.refreshIndexEveryMs;
    if (every === undefined || this.now() - this.indexBuiltAtMs < every) return;
    this.rebuilding ??= this.rebuildIndex().finally(() => { this.rebuilding = null; });
    await this.rebuilding;
  }
}

/** The monthly discount rate of a model's CLV, where the kind has one. */
function discountRateOf(model: CustomerValueModel): number | null {
  if (model instanceof BgNbdGammaGammaModel) return model.settings.monthlyDiscountRate;
  if (model instanceof SeasonalBgNbdGammaGammaModel) return model.base.settings.monthlyDiscountRate;
  if (model instanceof EnsembleModel) return discountRateOf(model.members[0].model);
  if (model instanceof LstmModel) return discountRateOf(model.base);
  return null;
}
