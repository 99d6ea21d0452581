/**
 * The `anomalies` role of `clv run` (one per deployment, like training): every
 * CLV_ANOMALY_INTERVAL_MS it reads the days of orders and payments that became complete since
 * its last look from the analytics store, judges each against its own history
 * (anomalies/seasonal-anomaly-detector.ts), publishes the unusual ones to `clv.anomalies.v1`
 * (key = metric) and sets the anomaly metrics. The analytics sink then copies the topic into
 * the `commerce_anomalies` table, webhooks or anyone else may consume it.
 *
 * Event time throughout: a day is complete when both the stored orders and the stored
 * payments reach CLV_ANOMALY_LATENESS_MS past its end — not when the wall clock says so — so
 * a history replayed in ten minutes is judged day by day exactly as it was live. The wall
 * clock only paces the looks and caps event times (those beyond it plus
 * CLV_MAX_FUTURE_SKEW_MS are dead-lettered by the pipeline, and not counted).
 *
 * Restarts: the first look re-judges the last `lookbackDays` complete days; what it finds again
 * is published again under the same event ids (`metric:day`), which consumers and the sink
 * collapse like any redelivery.
 */
import type { Logger } from 'pino';
import { dailyCommerceSeries, CommerceMetrics } from '../anomalies/daily-commerce-series.js';
import { commerceAnomalyEvent } from '../anomalies/commerce-anomaly-events.js';
import { DEFAULT_DETECTOR_OPTIONS, detectorName, judgeDays, type DayVerdict, type DetectorOptions } from '../anomalies/seasonal-anomaly-detector.js';
import type { Config } from '../config/config.js';
import { dateOfDayIndex, dayIndexer, instantOfLocalTime } from '../core/calendar.js';
import type { CommerceAnomalyEvent } from '../core/events.js';
import type { AnalyticsStore } from '../core/ports/analytics-store.js';
import type { EventCodec } from '../core/ports/event-codec.js';
import type { EventLog } from '../core/ports/event-log.js';
import { Topics } from '../core/topics.js';
import { enableAnomalyMetrics, recordAnomalyVerdicts } from '../metrics/metrics-registry.js';
import { openModelRuns } from './training-lifecycle.js';

export interface AnomalyWatchSettings {
  timeZone: string;
  currency: string;
  detector: DetectorOptions;
  latenessMs: number;
  maxFutureSkewMs: number;
  /** Complete days the first look judges (default 7). */
  lookbackDays?: number;
}

export interface AnomalyWatchDeps {
  store: AnalyticsStore;
  log: EventLog;
  codec: EventCodec;
  /** Wall clock: only caps event times (future skew). */
  now: () => number;
}

export interface AnomalyLook {
  /** Days judged by this look (inclusive day indices), or null when none became complete. */
  days: { from: number; to: number } | null;
  verdicts: DayVerdict[];
  published: CommerceAnomalyEvent[];
}

/** Detector options from the validated config. */
export function detectorOptionsFrom(config: Readonly<Config>): DetectorOptions {
  return { ...DEFAULT_DETECTOR_OPTIONS, weeks: config.anomalyWeeks, threshold: config.anomalyThreshold };
}

export class CommerceAnomalyWatch {
  /** The last day judged, or null before the first look. */
  private judgedThrough: number | null = null;
  private readonly dayOf;
  private readonly dayStart;

  constructor(private readonly deps: AnomalyWatchDeps, private readonly settings: AnomalyWatchSettings) {
    this.dayOf = dayIndexer(settings.timeZone);
    const local = instantOfLocalTime(settings.timeZone);
    this.dayStart = (day: number) => local(day, 0);
  }

  /** One look: judges the days completed since the last one, publishes the unusual ones. */
  async look(): Promise<AnomalyLook> {
    const { store } = this.deps;
    const { currency, detector, latenessMs } = this.settings;
    const untilMs = this.deps.now() + this.settings.maxFutureSkewMs;
    const reach = await store.commerceVolumes({ fromMs: untilMs, toMs: untilMs, currency });
    if (reach.latestOrderMs === null || reach.latestPaymentMs === null) return { days: null, verdicts: [], published: [] };
    const watermark = Math.min(reach.latestOrderMs, reach.latestPaymentMs);
    const lastComplete = this.dayOf(watermark - latenessMs) - 1;
    const first = this.judgedThrough === null ? lastComplete - (this.settings.lookbackDays ?? 7) + 1 : this.judgedThrough + 1;
    if (first > lastComplete) return { days: null, verdicts: [], published: [] };

    const historyFrom = first - 7 * detector.weeks;
    const volumes = await store.commerceVolumes({ fromMs: this.dayStart(historyFrom), toMs: this.dayStart(lastComplete + 1), currency });
    // History starts with the shop's first order or payment, not with zeros before it.
    const firstDataDay = volumes.quarterHours.length > 0 ? this.dayOf(volumes.quarterHours[0].startMs) : lastComplete + 1;
    const series = dailyCommerceSeries(volumes.quarterHours, this.dayOf, Math.max(historyFrom, firstDataDay), lastComplete);
    const verdicts = judgeDays(series, first, lastComplete, detector);
    const name = detectorName(detector);
    const published = verdicts
      .filter((v): v is DayVerdict & { direction: 'SPIKE' | 'DROP' } => v.direction !== null)
      .map((v) => commerceAnomalyEvent(v, this.dayStart, currency, name));
    if (published.length > 0) {
      const messages = await Promise.all(published.map(async (e) => ({ key: e.metric, value: await this.deps.codec.encode(Topics.anomalies, e) })));
      await this.deps.log.publish(Topics.anomalies, messages);
    }
    this.judgedThrough = lastComplete;
    // The latest day's verdict per metric (a metric with too little history there: usual).
    recordAnomalyVerdicts(
      CommerceMetrics.map(({ metric }) => verdicts.find((v) => v.day === lastComplete && v.metric === metric) ?? { metric, direction: null, score: 0 }),
      published,
    );
    return { days: { from: first, to: lastComplete }, verdicts, published };
  }
}

/** Starts the watch for `clv run anomalies`: a look now, then one every CLV_ANOMALY_INTERVAL_MS; a failed look is logged and retried at the next. */
export async function startCommerceAnomalyWatch(config: Readonly<Config>, target: { log: EventLog; codec: EventCodec }, logger: Logger, now: () => number = Date.now) {
  const store = await openModelRuns(config);
  enableAnomalyMetrics(CommerceMetrics.map((m) => m.metric));
  const watch = new CommerceAnomalyWatch({ store, log: target.log, codec: target.codec, now }, {
    timeZone: config.timeZone, currency: config.currency, detector: detectorOptionsFrom(config), latenessMs: config.anomalyLatenessMs, maxFutureSkewMs: config.maxFutureSkewMs,
  });
  let running: Promise<void> = Promise.resolve();
  const lookLogged = () => {
    running = running.then(async () => {
      try {
        const r = await watch.look();
        if (r.days) logger.info({ from: dateOfDayIndex(r.days.from), to: dateOfDayIndex(r.days.to), judged: r.verdicts.length, anomalies: r.published.map((e) => `${e.event_id} ${e.direction}`) }, 'commerce anomaly look');
      } catch (err) {
        logger.error({ err }, 'commerce anomaly look failed; retrying at the next interval');
      }
    });
    return running;
  };
  void lookLogged();
  const timer = setInterval(lookLogged, config.anomalyIntervalMs);
  logger.info({ intervalMs: config.anomalyIntervalMs, detector: detectorName(detectorOptionsFrom(config)), latenessMs: config.anomalyLatenessMs }, 'commerce anomaly watch started');
  return {
    watch,
    async stop() {
      clearInterval(timer);
      await running;
      await store.close();
    },
  };
}
