/**
 * The "now" column of docs/maintenance.md's format versions is what the code says: the state
 * format, the model artifact format, the last ClickHouse migration and the chart version.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { migrations } from '../adapters/clickhouse/migrations/index.js';
import { MODEL_ARTIFACT_FORMAT } from '../models/kinds/model-kinds.js';
import { STATE_FORMAT } from '../processors/state-format.js';

const root = new URL('../', import.meta.url);
const doc = readFileSync(new URL('docs/maintenance.md', root), 'utf8');

/** The "now" cell of the row whose first cell is `format`. */
function now(format: string): string {
  const row = doc.split('\n').find((l) => l.startsWith(`| ${format} |`));
  assert.ok(row, `docs/maintenance.md has a format row "${format}"`);
  return row.split('|')[2].trim();
}

test('the format versions in docs/maintenance.md are the code\'s', () => {
  assert.equal(now('processor state in Redis'), String(STATE_FORMAT));
  assert.equal(now('model artifacts'), String(MODEL_ARTIFACT_FORMAT));
  assert.equal(now('ClickHouse schema'), String(migrations[migrations.length - 1].version));
  const chart = readFileSync(new URL('helm/clv-stream/Chart.yaml', root), 'utf8').match(/^version: (\S+)$/m)?.[1];
  assert.equal(now('Helm chart'), chart);
});
