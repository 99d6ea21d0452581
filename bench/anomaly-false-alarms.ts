/**
 * `npm run bench:anomalies`: how often the day anomaly detector (anomalies/) flags days of
 * shops where nothing was planted — the synthetic shop of the demo (20,000 customers,
 * 2023-01 to 2025-06, seed 1: weekly and yearly seasonality, Black Friday, growth, the
 * broker's noise) and CDNOW_master (Q1-1997 cohort to June 1998) — replayed as order and
 * payment events through the analytics sink into the in-memory tables, read back through
 * AnalyticsStore.commerceVolumes as `clv run anomalies` reads them. Writes
 * bench/results/anomalies-latest.json. Figures are measurements, never assertions.
 *
 * A flagged day on these data is a false alarm unless something really happened that day:
 * the synthetic shop's Black Friday (3× a usual day) and Cyber Monday (2×) are real spikes
 * its generator puts there and are counted apart. CDNOW has no ground truth but one known event:
 * its customers are those whose first purchase was in January to March 1997 (the last on
 * 1997-03-25), so from 1997-03-26 the shop loses its new customers' orders at once, a level
 * shift; drops in the weeks the history needs to absorb it are counted apart too. Every flag
 * is listed with its date.
 */
import { cpus } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { dailyCommerceSeries } from '../anomalies/daily-commerce-series.js';
import { DEFAULT_DETECTOR_OPTIONS, detectorName, judgeDays, type DayVerdict } from '../anomalies/seasonal-anomaly-detector.js';
import { embeddedPipeline } from '../app/embedded.js';
import { fileDemoHistory, syntheticDemoHistory, type DemoMessage } from '../app/demo/demo-history.js';
import { createLogger } from '../app/logger.js';
import { loadConfig } from '../config/config.js';
import { projectRoot } from '../config/project-files.js';
import { dateOfDayIndex, dayIndexer, MS_PER_DAY } from '../core/calendar.js';
import { encodeByTopic } from '../producers/publish-messages.js';
import { blackFridayDay } from '../producers/synthetic/seasonality.js';
import { readTransactionFile } from '../producers/transaction-file.js';

const root = projectRoot();
const dataDir = process.env.CLV_DATA_DIR ?? resolve(root, '..', 'shared', 'data');
const config = loadConfig({});
const dayOf = dayIndexer('UTC');
const thresholds = [3, 4, 5, 6];

/** The messages through the embedded sink; the in-memory analytics tables they fill. */
async function replay(messages: readonly DemoMessage[]) {
  const embedded = embeddedPipeline(config, createLogger('silent'));
  const sink = await embedded.startSink();
  for (let i = 0; i < messages.length; i += 20_000) {
    for (const [topic, list] of await encodeByTopic(embedded.codec, messages, i, i + 20_000)) await embedded.log.publish(topic, list);
  }
  await sink.waitUntilIdle(5);
  await sink.stop();
  return embedded.analytics;
}

interface Measurement {
  dataset: string;
  days: { firstJudged: string; last: string; judged: number };
  byThreshold: Array<{ k: number; flaggedDays: number; falseAlarmRate: number; flaggedDaysExplained: number; falseAlarmRateUnexplained: number; flagsByMetric: Record<string, number> }>;
  /** The flags at the default k, one per day and metric. */
  flags: Array<{ day: string; weekday: string; metric: string; direction: string; value: number; baseline: number; score: number; explained: string | null }>;
}

const WEEKDAYS = ['Thu', 'Fri', 'Sat', 'Sun', 'Mon', 'Tue', 'Wed'];

async function measure(dataset: string, messages: readonly DemoMessage[], explain: (day: number) => string | null): Promise<Measurement> {
  const started = performance.now();
  const store = await replay(messages);
  // As the watch asks: up to the wall clock plus the allowed skew (the pipeline dead-letters later times).
  const volumes = await store.commerceVolumes({ fromMs: 0, toMs: Date.now() + config.maxFutureSkewMs, currency: 'USD' });
  const firstDay = dayOf(volumes.quarterHours[0].startMs);
  // The last day of the data may be cut short: judged up to the day before it.
  const lastDay = dayOf(Math.min(volumes.latestOrderMs!, volumes.latestPaymentMs!)) - 1;
  const series = dailyCommerceSeries(volumes.quarterHours, dayOf, firstDay, lastDay);
  const judged = [...new Set(judgeDays(series, firstDay, lastDay).map((v) => v.day))].sort((a, b) => a - b);
  const judgedDays = judged.length;
  const byThreshold = thresholds.map((k) => {
    const flagged = judgeDays(series, firstDay, lastDay, { ...DEFAULT_DETECTOR_OPTIONS, threshold: k }).filter((v) => v.direction !== null);
    const days = new Set(flagged.map((v) => v.day));
    const explained = [...days].filter((d) => explain(d) !== null).length;
    const flagsByMetric: Record<string, number> = {};
    for (const v of flagged) flagsByMetric[`${v.metric} ${v.direction}`] = (flagsByMetric[`${v.metric} ${v.direction}`] ?? 0) + 1;
    return { k, flaggedDays: days.size, falseAlarmRate: days.size / judgedDays, flaggedDaysExplained: explained, falseAlarmRateUnexplained: (days.size - explained) / judgedDays, flagsByMetric };
  });
  const flags = judgeDays(series, firstDay, lastDay).filter((v): v is DayVerdict & { direction: 'SPIKE' | 'DROP' } => v.direction !== null).map((v) => ({
    day: dateOfDayIndex(v.day), weekday: WEEKDAYS[((v.day % 7) + 7) % 7], metric: v.metric, direction: v.direction, value: v.value, baseline: Math.round(v.baseline),
    score: Math.round(v.score * 10) / 10, explained: explain(v.day),
  }));
  console.log(`${dataset}: ${messages.length.toLocaleString('en-US')} messages, ${judgedDays} days judged (${dateOfDayIndex(judged[0])} to ${dateOfDayIndex(lastDay)}), ${((performance.now() - started) / 1000).toFixed(1)} s`);
  for (const t of byThreshold) {
    console.log(`  k = ${t.k}: ${t.flaggedDays} days flagged (${(100 * t.falseAlarmRate).toFixed(2)}%), ${t.flaggedDaysExplained} of them explained; unexplained ${(100 * t.falseAlarmRateUnexplained).toFixed(2)}% ${JSON.stringify(t.flagsByMetric)}`);
  }
  return { dataset, days: { firstJudged: dateOfDayIndex(judged[0]), last: dateOfDayIndex(lastDay), judged: judgedDays }, byThreshold, flags };
}

const results: Measurement[] = [];
const synthetic = syntheticDemoHistory({ customers: 20_000, seed: 1, currency: 'USD', timeZone: 'UTC', minorPerUnit: 100 });
results.push(await measure('synthetic shop (20,000 customers, seed 1)', synthetic.messages, (day) => {
  const bf = blackFridayDay(new Date(day * MS_PER_DAY).getUTCFullYear());
  return day === bf ? 'Black Friday (3× in the generator)' : day === bf + 3 ? 'Cyber Monday (2× in the generator)' : null;
}));
const cdnowFile = join(dataDir, 'cdnow', 'CDNOW_master.txt');
try {
  const transactions = readTransactionFile(cdnowFile, { format: 'cdnow', minorPerUnit: 100, dayOf });
  const cdnow = fileDemoHistory(transactions, { source: 'CDNOW_master', currency: 'USD', timeZone: 'UTC', calibrationEnd: '1997-09-30', holdoutEnd: '1998-06-30' });
  const acquisitionEnded = dayOf(Date.UTC(1997, 2, 26));
  const absorbed = acquisitionEnded + 7 * DEFAULT_DETECTOR_OPTIONS.weeks;
  results.push(await measure('CDNOW_master (23,570 customers)', cdnow.messages, (day) =>
    day >= acquisitionEnded && day < absorbed ? 'the cohort\'s acquisition ended on 1997-03-25: a level shift the history absorbs over weeks' : null));
} catch (error) {
  console.log(`CDNOW skipped: ${(error as Error).message}`);
}

const out = { date: new Date().toISOString(), machine: { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version }, detector: detectorName(DEFAULT_DETECTOR_OPTIONS), options: DEFAULT_DETECTOR_OPTIONS, results };
const dir = join(root, 'bench', 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'anomalies-latest.json'), JSON.stringify(out, null, 2) + '\n');
console.log(`written to ${join(dir, 'anomalies-latest.json')}`);
