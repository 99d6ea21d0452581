/**
 * `clv demo`: the whole pipeline on the embedded default. Streams a calibration period of
 * order and payment events through the processors, trains BG/NBD + Gamma-Gamma on the
 * resulting features, re-scores everyone, checks the predictions against what really
 * happened in the holdout period, then streams the holdout events with the trained model.
 */
import type { Command } from 'commander';
import { dayIndexer } from '../../core/calendar.js';
import { loadConfig } from '../../core/config.js';
import { ClvError, ErrorCodes } from '../../core/errors.js';
import type { DeadLetterEvent } from '../../core/events.js';
import { Topics } from '../../core/topics.js';
import { readTransactionFile, type TransactionFormat } from '../../producers/transaction-file.js';
import { modelInputOf } from '../../processors/scoring/customer-scorer.js';
import { evaluateHoldout } from '../../processors/training/holdout-evaluation.js';
import { trainCustomerValueModel } from '../../processors/training/train-customer-value-model.js';
import { embeddedPipeline } from '../embedded.js';
import { createLogger } from '../logger.js';
import { progress } from '../progress.js';
import { endOfDayMs, fileDemoHistory, syntheticDemoHistory, type DemoMessage } from '../demo/demo-history.js';
import { printDemoReport, type DemoReport } from '../demo/demo-report.js';
import { replayMessages } from '../demo/replay-messages.js';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

interface DemoOptions {
  customers: string;
  seed: string;
  input?: string;
  format: TransactionFormat;
  calibrationEnd?: string;
  holdoutEnd?: string;
  out?: string;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run the whole pipeline in one process on a synthetic history (or --input FILE) and print a report')
    .option('--customers <n>', 'synthetic customers', '20000')
    .option('--seed <n>', 'synthetic history seed', '1')
    .option('--input <file>', 'replay a transaction file instead of the synthetic history')
    .option('--format <format>', 'format of --input: cdnow | csv', 'cdnow')
    .option('--calibration-end <date>', 'last calibration day for --input (YYYY-MM-DD)')
    .option('--holdout-end <date>', 'last holdout day for --input (YYYY-MM-DD)')
    .option('--out <dir>', 'also write the report as JSON to DIR/demo-report.json')
    .action((options: DemoOptions) => runDemo(options));
}

async function runDemo(options: DemoOptions): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const dayOf = dayIndexer(config.timeZone);
  const customers = positiveInt(options.customers, '--customers');
  const seed = positiveInt(options.seed, '--seed');
  const history = options.input
    ? fileDemoHistory(readTransactionFile(options.input, { format: options.format, minorPerUnit: config.minorPerUnit, dayOf }), {
        source: options.input.split('/').pop() ?? options.input,
        currency: config.currency,
        timeZone: config.timeZone,
        calibrationEnd: options.calibrationEnd ?? (options.format === 'cdnow' ? '1997-09-30' : required('--calibration-end')),
        holdoutEnd: options.holdoutEnd ?? (options.format === 'cdnow' ? '1998-06-30' : required('--holdout-end')),
      })
    : syntheticDemoHistory({ customers, seed, currency: config.currency, timeZone: config.timeZone, minorPerUnit: config.minorPerUnit });

  const { log, codec, pipeline } = embeddedPipeline(config, logger);
  await pipeline.start();
  const calibrationEndMs = endOfDayMs(history.calibrationEndDay, config.timeZone);
  const split = history.messages.findIndex((m) => m.deliveredAtMs > calibrationEndMs);
  const calibration = split < 0 ? history.messages : history.messages.slice(0, split);
  const holdout = split < 0 ? [] : history.messages.slice(split);

  // 1. Stream the calibration period: purchases → features (no model yet, nothing scored).
  const streamCalibration = await stream(calibration, 'calibration events');

  // 2. Train on the features as of the end of calibration, then re-score everyone.
  const periodDays = config.period === 'week' ? 7 : 1;
  const states: Array<{ id: string; input: ReturnType<typeof modelInputOf> }> = [];
  for await (const page of pipeline.stores.scores.scan(10_000)) {
    for (const [id, s] of page) states.push({ id, input: modelInputOf(s.features, calibrationEndMs, periodDays, dayOf, config.minorPerUnit) });
  }
  const trainStart = performance.now();
  const model = trainCustomerValueModel(states.map((s) => s.input), {
    version: 'v1', periodDays, horizonMonths: config.horizonMonths, monthlyDiscountRate: config.monthlyDiscountRate,
    atRiskPAlive: config.atRiskPAlive, lostPAlive: config.lostPAlive, newCustomerDays: config.newCustomerDays, minorPerUnit: config.minorPerUnit,
  });
  const trainingMs = performance.now() - trainStart;
  pipeline.useModel(model);
  const bar = progress('re-scoring customers', states.length);
  const rescoreStart = performance.now();
  await pipeline.rescoreAll(calibrationEndMs, (n) => bar.update(n));
  const rescoreMs = performance.now() - rescoreStart;
  bar.stop();

  // 3. Holdout: predicted purchases and value over the holdout vs what really happened.
  const holdoutPeriods = (history.holdoutEndDay - history.calibrationEndDay) / periodDays;
  const evaluation = evaluateHoldout(
    model,
    states.map((s) => ({ input: s.input, actual: history.actual(s.id, history.calibrationEndDay, history.holdoutEndDay) })),
    holdoutPeriods,
    config.minorPerUnit,
  );

  // 4. Stream the holdout period with the model live: scores update as purchases arrive.
  const changesBefore = log.read(Topics.segmentChanges).length;
  const streamHoldout = await stream(holdout, 'holdout events');
  await pipeline.stop();

  const deadLetters: Record<string, number> = {};
  for (const m of log.read(Topics.deadLetter)) {
    const d = (await codec.decode(Topics.deadLetter, m.value)) as DeadLetterEvent;
    const reason = `${d.error_code}: ${d.reason.replace(/[\d.:TZ-]{10,}|\d+/g, '…').slice(0, 70)}`;
    deadLetters[reason] = (deadLetters[reason] ?? 0) + 1;
  }
  const report: DemoReport = {
    source: history.description,
    config: { timeZone: config.timeZone, currency: config.currency, period: config.period, horizonMonths: config.horizonMonths, monthlyDiscountRate: config.monthlyDiscountRate },
    streaming: {
      calibration: streamCalibration,
      holdout: streamHoldout,
      processors: pipeline.stats(),
    },
    deadLetters: { total: log.read(Topics.deadLetter).length, injected: history.injectedDeadLetters, byReason: deadLetters },
    training: { customers: states.length, ms: trainingMs, rescoreMs, rescoredPerSecond: states.length / (rescoreMs / 1000), model: model.describe() },
    holdout: evaluation.metrics,
    segments: await segmentSizes(pipeline),
    segmentChangesDuringHoldout: log.read(Topics.segmentChanges).length - changesBefore,
    topCustomers: await topCustomers(pipeline, 10, config.minorPerUnit),
  };
  printDemoReport(report);
  if (options.out) {
    mkdirSync(options.out, { recursive: true });
    writeFileSync(join(options.out, 'demo-report.json'), JSON.stringify(report, null, 2));
  }

  async function stream(messages: DemoMessage[], label: string) {
    const bar = progress(label, messages.length);
    const figures = await replayMessages({ log, codec, pipeline }, messages, { onProgress: (n) => bar.update(n) });
    bar.stop();
    return figures;
  }
}

async function segmentSizes(pipeline: ReturnType<typeof embeddedPipeline>['pipeline']): Promise<Record<string, number>> {
  const sizes: Record<string, number> = {};
  for await (const page of pipeline.stores.scores.scan(10_000)) {
    for (const [, s] of page) if (s.segment) sizes[s.segment] = (sizes[s.segment] ?? 0) + 1;
  }
  return sizes;
}

async function topCustomers(pipeline: ReturnType<typeof embeddedPipeline>['pipeline'], n: number, minorPerUnit: number) {
  const all: Array<{ customerId: string; clv: number; segment: string; purchaseDays: number; totalValue: number }> = [];
  for await (const page of pipeline.stores.scores.scan(10_000)) {
    for (const [id, s] of page) {
      all.push({ customerId: id, clv: s.clvMinor / minorPerUnit, segment: s.segment ?? '-', purchaseDays: s.features.purchase_days, totalValue: s.features.total_value_minor / minorPerUnit });
    }
  }
  return all.sort((a, b) => b.clv - a.clv).slice(0, n);
}

function positiveInt(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new ClvError(ErrorCodes.INVALID_CONFIG, `${flag} must be a positive integer, got "${text}"`);
  return n;
}

function required(flag: string): never {
  throw new ClvError(ErrorCodes.INVALID_CONFIG, `${flag} is required with --format csv`);
}
