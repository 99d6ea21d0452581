/**
 * The real stack for end-to-end tests: resets the clv topics, groups and a Redis database,
 * runs `clv` as child processes (as an operator would), and waits for consumers to catch up.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { KafkaEventLog } from '../../../adapters/kafka/kafka-event-log.js';
import { resetClvTopics } from '../../../adapters/kafka/reset-clv-topics.js';
import { Topics } from '../../../core/topics.js';
import { ProcessorNames } from '../../../processors/pipeline.js';
import { services } from './services.js';

const root = resolve(import.meta.dirname, '..', '..', '..');
export const groups = [...ProcessorNames.map((n) => `clv-${n}`), 'clv-clickhouse-sink'];

/** Env of every child: a Redis database and a model registry of the test's own. */
export const stackEnv: NodeJS.ProcessEnv = {
  ...process.env,
  CLV_REDIS_URL: process.env.CLV_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/7',
  CLV_MODEL_REGISTRY_DIR: mkdtempSync(join(tmpdir(), 'clv-itest-models-')),
  CLV_PARTITIONS: '4',
  CLV_MODEL_POLL_MS: '500',
  CLV_LOG_LEVEL: 'warn',
  CLV_CLICKHOUSE_DATABASE: `clv_itest_${process.pid}`,
};

export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Deletes the clv topics and processor groups, and empties the test's Redis database. */
export async function resetStack(options: { topics: boolean }): Promise<void> {
  await resetClvTopics(services.kafkaBrokers, groups, options);
  const redis = new Redis(stackEnv.CLV_REDIS_URL as string);
  await redis.flushdb();
  redis.disconnect();
}

export interface ClvProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/** `env` adds to (or overrides) the stack's env for this child only. */
export function clv(args: string[], env: NodeJS.ProcessEnv = {}): ClvProcess {
  const child = spawn(process.execPath, [join(root, 'dist', 'cli', 'clv.js'), ...args], { env: { ...stackEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, output: () => output, exited };
}

/** Runs a clv command to completion; rejects with its output when it fails. */
export async function clvOk(args: string[]): Promise<string> {
  const p = clv(args);
  const code = await p.exited;
  if (code !== 0) throw new Error(`clv ${args.join(' ')} exited ${code}:\n${p.output()}`);
  return p.output();
}

/** Waits until every processor group (and the sink) has committed everything in its input topics. */
export async function waitForCatchUp(log: KafkaEventLog, timeoutMs = 90_000): Promise<void> {
  const inputs: Record<string, string[]> = {
    'clv-purchases': [Topics.orders, Topics.payments],
    'clv-features': [Topics.purchases],
    'clv-scoring': [Topics.features],
    'clv-clickhouse-sink': Object.values(Topics),
  };
  await until(async () => {
    let lag = 0;
    for (const g of groups) lag += await log.lag(g, inputs[g]);
    return lag === 0;
  }, 'processors to catch up', timeoutMs);
}
