/**
 * docs/event-flow.md describes every topic of core/topics.ts (a row in its topic table) and
 * each has its schema file; and every consumer group `clv status` reports is named there.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { CLICKHOUSE_SINK_GROUP } from '../consumers/clickhouse-sink/clickhouse-sink.js';
import { Topics } from '../core/topics.js';

const root = new URL('../', import.meta.url);
const doc = readFileSync(new URL('docs/event-flow.md', root), 'utf8');

test('every topic has a row in the topic table of docs/event-flow.md and a schema in schemas/', () => {
  const rows = doc.split('\n').filter((l) => l.startsWith('| `')).map((l) => l.split('|')[1].trim().replace(/`/g, ''));
  for (const topic of Object.values(Topics)) {
    assert.ok(rows.includes(topic), `${topic}: a row in the topic table`);
    assert.ok(existsSync(new URL(`schemas/${topic}.avsc`, root)), `${topic}: schemas/${topic}.avsc`);
  }
});

test('the consumer groups clv status reports are named in docs/event-flow.md', () => {
  const status = readFileSync(new URL('app/status-report.ts', root), 'utf8');
  const groups = [...status.matchAll(/group: '([a-z-]+)'/g)].map((m) => m[1]);
  assert.ok(groups.length >= 3, 'app/status-report.ts names its groups');
  for (const group of [...groups, CLICKHOUSE_SINK_GROUP]) assert.ok(doc.includes(`\`${group}\``), group);
});
