import { test } from 'node:test';
import assert from 'node:assert/strict';
import { localTableOf, shardedMigration, shardingKeyOf } from '../adapters/clickhouse/sharded-migration.js';
import { migrations } from '../adapters/clickhouse/migrations/index.js';
import { ident, renderQuoted, replaceIdentifier, sql } from '../adapters/clickhouse/sql.js';

const db = 'clv';
const render = (m: (typeof migrations)[number]) => m.statements(db).map(renderQuoted);

test('every table of the migrations becomes a shard-local MergeTree and a Distributed table of the same name', () => {
  const tables: string[] = [];
  for (const m of migrations) {
    const plain = render(m);
    const sharded = render(shardedMigration(m, 'shards'));
    assert.equal(shardedMigration(m, 'shards').version, m.version);
    assert.equal(shardedMigration(m, 'shards').name, m.name);
    for (const statement of plain) {
      const create = /^\s*CREATE TABLE IF NOT EXISTS `clv`\.`(\w+)`/.exec(statement);
      if (create === null) {
        assert.ok(sharded.includes(statement), `migration ${m.version}: a view or DROP passes unchanged`);
        continue;
      }
      const table = create[1];
      tables.push(table);
      const local = sharded.find((s) => s.includes(`CREATE TABLE IF NOT EXISTS \`clv\`.\`${table}_local\` (`));
      assert.ok(local, `migration ${m.version}: ${table}_local`);
      assert.equal(local, statement.replace(`\`clv\`.\`${table}\``, `\`clv\`.\`${table}_local\``), 'same columns, engine and keys');
      const distributed = sharded.find((s) => s.includes(`CREATE TABLE IF NOT EXISTS \`clv\`.\`${table}\` AS \`clv\`.\`${table}_local\` ENGINE = Distributed(\`shards\`, \`clv\`, \`${table}_local\`, cityHash64(`));
      assert.ok(distributed, `migration ${m.version}: ${table} as Distributed`);
    }
  }
  assert.deepEqual(tables.sort(), ['clv_scores', 'commerce_anomalies', 'customer_features', 'dead_letters', 'erasures', 'model_runs', 'order_line_items', 'orders', 'payments', 'purchases', 'segment_changes']);
});

test('tables with a customer are sharded by the customer alone; others by their whole sorting key', () => {
  const keys = new Map<string, string>();
  for (const m of migrations) {
    for (const s of render(shardedMigration(m, 'shards'))) {
      const d = /`clv`\.`(\w+)` AS .*cityHash64\((.*)\)\)$/.exec(s);
      if (d) keys.set(d[1], d[2]);
    }
  }
  for (const t of ['orders', 'order_line_items', 'payments', 'purchases', 'customer_features', 'clv_scores', 'segment_changes', 'erasures']) assert.equal(keys.get(t), '`customer_id`', t);
  assert.equal(keys.get('model_runs'), '`version`');
  assert.equal(keys.get('dead_letters'), '`source_topic`, `event_id`');
  assert.equal(keys.get('commerce_anomalies'), '`metric`, `day`, `event_id`');
  assert.deepEqual(shardingKeyOf('CREATE TABLE t (a String) ENGINE = MergeTree() ORDER BY a'), ['a']);
  assert.throws(() => shardingKeyOf('CREATE TABLE t (a String) ENGINE = MergeTree()'), /no ORDER BY/);
});

test('a column added to a table is added to its shard-local table first, then to the Distributed one', () => {
  const intervals = migrations.find((m) => m.version === 5);
  assert.ok(intervals?.addColumns);
  const additions = shardedMigration(intervals, 'shards').addColumns?.(db) ?? [];
  assert.equal(additions.length, 2 * intervals.addColumns(db).length);
  assert.deepEqual(additions.slice(0, 2).map((a) => [a.table, a.column, renderQuoted(a.statement)]), [
    ['clv_scores_local', 'clv_lower_minor', 'ALTER TABLE `clv`.`clv_scores_local` ADD COLUMN `clv_lower_minor` Nullable(Int64)'],
    ['clv_scores', 'clv_lower_minor', 'ALTER TABLE `clv`.`clv_scores` ADD COLUMN `clv_lower_minor` Nullable(Int64)'],
  ]);
  assert.equal(localTableOf('orders'), 'orders_local');
});

test('a table statement with no sharded form is refused, naming the migration', () => {
  const odd = { version: 99, name: 'odd', statements: () => [sql`CREATE TABLE IF NOT EXISTS ${ident(db, 'x')} (a String) ENGINE = Memory`] };
  assert.throws(() => shardedMigration(odd, 'shards').statements(db), /migration 99: a table that is not a MergeTree/);
  const alter = { version: 98, name: 'alter', statements: () => [sql`ALTER TABLE ${ident(db, 'x')} DROP COLUMN a`] };
  assert.throws(() => shardedMigration(alter, 'shards').statements(db), /migration 98: a statement with no sharded form/);
});

test('replaceIdentifier swaps whole identifiers only and keeps the values', () => {
  const s = sql`SELECT * FROM ${ident('d', 't')} JOIN ${ident('d', 't2')} USING k WHERE a = ${'x'}`;
  const r = replaceIdentifier(s, ident('d', 't'), ident('d', 't_local'));
  assert.equal(renderQuoted(r), "SELECT * FROM `d`.`t_local` JOIN `d`.`t2` USING k WHERE a = 'x'");
  assert.throws(() => replaceIdentifier(s, sql`t`, ident('u')), /ident/);
});
