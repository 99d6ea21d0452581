import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import kafkajs from 'kafkajs';
import type { LogEntry } from 'kafkajs';
import { kafkajsLogCreator, kafkajsLogLevel, type LogSink } from '../adapters/kafka/kafkajs-log-creator.js';

const { logLevel } = kafkajs;

test('kafkajs log entries reach the sink at their level, with their fields and without kafkajs\'s timestamp', () => {
  const lines: unknown[] = [];
  const sink = Object.fromEntries(['error', 'warn', 'info', 'debug'].map((m) => [m, (fields: object, message: string) => lines.push([m, fields, message])])) as unknown as LogSink;
  const log = kafkajsLogCreator(sink)(logLevel.DEBUG);
  log({ namespace: 'Runner', level: logLevel.ERROR, label: 'ERROR', log: { timestamp: 'T', message: 'Crash', groupId: 'g' } });
  log({ namespace: 'Connection', level: logLevel.WARN, label: 'WARN', log: { timestamp: 'T', message: 'slow' } });
  log({ namespace: 'Consumer', level: logLevel.INFO, label: 'INFO', log: { timestamp: 'T', message: 'Starting' } });
  log({ namespace: 'Fetcher', level: logLevel.DEBUG, label: 'DEBUG', log: { timestamp: 'T', message: 'fetch' } });
  assert.deepEqual(lines, [
    ['error', { component: 'kafkajs', namespace: 'Runner', groupId: 'g' }, 'Crash'],
    ['warn', { component: 'kafkajs', namespace: 'Connection' }, 'slow'],
    ['info', { component: 'kafkajs', namespace: 'Consumer' }, 'Starting'],
    ['debug', { component: 'kafkajs', namespace: 'Fetcher' }, 'fetch'],
  ]);
});

test('our level names map to kafkajs\'s numbers (which skip 3)', () => {
  assert.deepEqual(
    (['nothing', 'error', 'warn', 'info', 'debug'] as const).map(kafkajsLogLevel),
    [logLevel.NOTHING, logLevel.ERROR, logLevel.WARN, logLevel.INFO, logLevel.DEBUG],
  );
});

const startUp = JSON.parse(readFileSync(new URL('./fixtures/kafkajs-start-up-log.json', import.meta.url), 'utf8')) as {
  healthyStart: LogEntry[];
  realErrors: LogEntry[];
};

function levelsOf(entries: readonly LogEntry[]): string[] {
  const levels: string[] = [];
  const sink = Object.fromEntries(['error', 'warn', 'info', 'debug'].map((m) => [m, () => levels.push(m)])) as unknown as LogSink;
  const log = kafkajsLogCreator(sink)(logLevel.DEBUG);
  for (const e of entries) log(e);
  return levels;
}

test('a healthy start of clv run (captured: 25 kafkajs ERROR entries) logs nothing at error or warn', () => {
  assert.equal(startUp.healthyStart.filter((e) => e.level === logLevel.ERROR).length, 25);
  const levels = levelsOf(startUp.healthyStart);
  assert.equal(levels.length, startUp.healthyStart.length);
  assert.deepEqual(levels.filter((l) => l === 'error' || l === 'warn'), []);
});

test('coordinator answers kafkajs handles itself go to debug, the rebalance it then does to info', () => {
  const entry = (namespace: string, level: number, message: string, error: string): LogEntry => ({ namespace, level, label: '', log: { timestamp: 'T', message, error } });
  assert.deepEqual(levelsOf([
    entry('Connection', logLevel.ERROR, 'Response GroupCoordinator(key: 10, version: 2)', 'The group coordinator is not available'),
    entry('Connection', logLevel.ERROR, 'Response JoinGroup(key: 11, version: 5)', "The coordinator is loading and hence can't process requests for this group"),
    entry('Connection', logLevel.ERROR, 'Response OffsetCommit(key: 8, version: 5)', 'This is not the correct coordinator for this group'),
    entry('Connection', logLevel.ERROR, 'Response Heartbeat(key: 12, version: 3)', 'The group is rebalancing, so a rejoin is needed'),
    entry('Runner', logLevel.WARN, 'The group is rebalancing, re-joining', 'The group is rebalancing, so a rejoin is needed'),
  ]), ['debug', 'debug', 'debug', 'debug', 'info']);
});

test('real errors stay at error: a broker unreachable, an unknown partition, a consumer that gave up, a member expelled', () => {
  assert.deepEqual(levelsOf(startUp.realErrors), ['error', 'error', 'error', 'error']);
});
