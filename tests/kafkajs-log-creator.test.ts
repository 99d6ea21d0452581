import { test } from 'node:test';
import assert from 'node:assert/strict';
import kafkajs from 'kafkajs';
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
