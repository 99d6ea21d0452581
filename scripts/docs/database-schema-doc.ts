/**
 * docs/database-schema.md, generated: what the ClickHouse migrations leave behind (tables,
 * columns, engines, keys and views, each with the migration that made it), the Redis key
 * layout of the processors' state, and the Kafka topics with their Avro schemas.
 *
 * Generated rather than written so that it cannot drift: the migrations are replayed here
 * statement by statement (CREATE TABLE, ALTER TABLE … ADD COLUMN, DROP, CREATE VIEW) on a
 * model of the database, and tests/database-schema-doc.test.ts fails when the file differs
 * from what this makes. `npm run docs:schema` rewrites it.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { migrations } from '../../adapters/clickhouse/migrations/index.js';
import { renderQuoted } from '../../adapters/clickhouse/sql.js';
import { firstKeyPart, RedisKeyLayout, wholeKey, type HashTagRule } from '../../adapters/redis/redis-key-layout.js';
import { compositeKey } from '../../core/composite-key.js';
import { topicSpecs, Topics } from '../../core/topics.js';
import { loadConfig } from '../../config/config.js';
import { STATE_FORMAT } from '../../processors/state-format.js';
import { ORDER_LEDGER_FIELDS } from '../../processors/state-codecs/order-ledger-codec.js';
import { PURCHASE_HISTORY_FIELDS, PURCHASED_ORDER_FIELDS } from '../../processors/state-codecs/purchase-history-codec.js';
import { SCORE_STATE_FIELDS } from '../../processors/state-codecs/score-state-codec.js';

const root = new URL('../../', import.meta.url);
const DB = 'clv';
/** The defaults (an empty environment). */
const DEFAULTS = loadConfig({});

interface Column { name: string; type: string; since: number }
interface Table { kind: 'table'; name: string; columns: Column[]; engine: string; partitionBy: string | null; orderBy: string; since: number }
interface View { kind: 'view'; name: string; columns: string[]; since: number; select: string }

/** Splits `text` at top-level occurrences of `separator` (outside parentheses and quotes). */
export function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0; let quote: string | null = null; let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) { if (c === '\\') i++; else if (c === quote) quote = null; continue; }
    if (c === "'" || c === '`') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && text.startsWith(separator, i)) { parts.push(text.slice(start, i)); start = i + separator.length; i += separator.length - 1; }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

/** Index of the parenthesis closing the one at `open`. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  throw new Error(`unbalanced parentheses in ${text.slice(0, 80)}…`);
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
const unquote = (s: string) => s.replace(/`/g, '');
const objectName = (qualified: string) => unquote(qualified).split('.').pop()!;

/** The output column names of a SELECT: the alias after the last top-level AS, or the bare column. */
function selectColumns(select: string): string[] {
  const body = squash(select).replace(/^SELECT /i, '');
  const list = splitTopLevel(body, ' FROM ')[0];
  return splitTopLevel(list, ',').map((item) => {
    const parts = splitTopLevel(item, ' AS ');
    return unquote(parts[parts.length - 1]);
  });
}

/** The database the migrations leave, in creation order. */
export function replayMigrations(): Map<string, Table | View> {
  const objects = new Map<string, Table | View>();
  for (const m of migrations) {
    for (const statement of m.statements(DB)) {
      const text = squash(renderQuoted(statement));
      let match: RegExpMatchArray | null;
      if ((match = text.match(/^CREATE TABLE IF NOT EXISTS (\S+) \(/))) {
        const open = text.indexOf('(');
        const close = closing(text, open);
        const columns = splitTopLevel(text.slice(open + 1, close), ',').map((c) => {
          const [name, ...type] = c.split(' ');
          return { name: unquote(name), type: type.join(' '), since: m.version };
        });
        const rest = text.slice(close + 1).trim();
        const engine = rest.match(/ENGINE = (.+?)(?= PARTITION BY| ORDER BY|$)/)?.[1] ?? '';
        const partitionBy = rest.match(/PARTITION BY (.+?)(?= ORDER BY|$)/)?.[1] ?? null;
        const orderBy = rest.match(/ORDER BY (.+)$/)?.[1] ?? '';
        const name = objectName(match[1]);
        objects.set(name, { kind: 'table', name, columns, engine, partitionBy, orderBy, since: m.version });
      } else if ((match = text.match(/^CREATE VIEW IF NOT EXISTS (\S+) AS (SELECT .*)$/))) {
        const name = objectName(match[1]);
        objects.delete(name);
        objects.set(name, { kind: 'view', name, columns: selectColumns(match[2]), since: m.version, select: match[2] });
      } else if ((match = text.match(/^DROP TABLE IF EXISTS (\S+)$/))) {
        objects.delete(objectName(match[1]));
      } else {
        throw new Error(`migration ${m.version}: a statement this generator does not read: ${text.slice(0, 80)}…`);
      }
    }
    for (const addition of m.addColumns?.(DB) ?? []) {
      const text = squash(renderQuoted(addition.statement));
      const match = text.match(/^ALTER TABLE \S+ ADD COLUMN (\S+) (.+)$/);
      const table = objects.get(addition.table);
      if (!match || table?.kind !== 'table') throw new Error(`migration ${m.version}: cannot read ${text}`);
      table.columns.push({ name: unquote(match[1]), type: match[2], since: m.version });
    }
  }
  return objects;
}

function clickhouseSection(): string[] {
  const objects = [...replayMigrations().values()];
  const lines = [
    '## ClickHouse',
    '',
    `Database \`CLV_CLICKHOUSE_DATABASE\` (default \`${DEFAULTS.clickhouseDatabase}\`), created with every object below by the migrations in`,
    '`adapters/clickhouse/migrations/`, applied once each in version order by `adapters/clickhouse/migrate.ts` when the sink',
    '(`clv run sink`) or another writer starts. Applied versions are recorded in `schema_migrations` (version UInt32,',
    'name String, applied_at DateTime(\'UTC\'); ReplacingMergeTree ordered by version), which `migrate.ts` itself creates.',
    'What each table and view is for, and example queries: [analytics.md](analytics.md).',
    '',
    '### Migrations',
    '',
    '| version | name |',
    '|---|---|',
    ...migrations.map((m) => `| ${m.version} | ${m.name} |`),
    '',
    '### Tables',
    '',
  ];
  for (const t of objects) {
    if (t.kind !== 'table') continue;
    lines.push(`#### \`${t.name}\``, '', `Created by migration ${t.since}. Engine \`${t.engine}\`${t.partitionBy ? `, partitioned by \`${t.partitionBy}\`` : ''}, ordered by \`${t.orderBy}\`.`, '');
    lines.push('| column | type | since migration |', '|---|---|---|');
    for (const c of t.columns) lines.push(`| \`${c.name}\` | \`${c.type}\` | ${c.since} |`);
    lines.push('');
  }
  lines.push('### Views', '', 'Views hold no data; each reads the tables above at query time.', '');
  lines.push('| view | created (last) by migration | columns |', '|---|---|---|');
  for (const v of objects) if (v.kind === 'view') lines.push(`| \`${v.name}\` | ${v.since} | ${v.columns.map((c) => `\`${c}\``).join(', ')} |`);
  lines.push('');
  return lines;
}

/** The namespaces the production adapters open (app/production.ts), with their hash-tag rule. */
const NAMESPACES: ReadonlyArray<{ namespace: string; rule: HashTagRule; example: string; holds: string; writtenBy: string }> = [
  { namespace: 'ledgers', rule: firstKeyPart, example: compositeKey('C42', 'O-7'), holds: 'one order ledger per customer and order (`processors/purchases/`): the order, its payments, the event ids seen', writtenBy: 'purchases' },
  { namespace: 'histories', rule: wholeKey, example: 'C42', holds: "one purchase history per customer (`processors/features/`): every order's latest revision", writtenBy: 'features (read by training and the API)' },
  { namespace: 'scores', rule: wholeKey, example: 'C42', holds: "one score state per customer (`processors/scoring/`): the latest score, segment and action", writtenBy: 'scoring and the decay sweep (read by the API)' },
];

/** The ledgers' TTL, as app/production.ts sets it. */
export function ledgerTtlDays(): number {
  const source = readFileSync(new URL('app/production.ts', root), 'utf8');
  const match = source.match(/const LEDGER_TTL_SECONDS = (\d+) \* 86_400;/);
  if (!match) throw new Error('app/production.ts: LEDGER_TTL_SECONDS not found as `N * 86_400`');
  return Number(match[1]);
}

export const redisNamespaces = () => NAMESPACES.map((n) => n.namespace);

function redisSection(): string[] {
  const rows = NAMESPACES.map((n) => {
    const layout = new RedisKeyLayout(n.namespace, n.rule);
    const ttl = n.namespace === 'ledgers' ? `${ledgerTtlDays()} days after the last write` : 'none';
    return `| \`${n.namespace}\` | \`${layout.pattern}\` | \`${n.example}\` → \`${layout.encode(n.example)}\` | ${n.holds} | ${n.writtenBy} | ${ttl} |`;
  });
  const positions = (title: string, fields: readonly string[]) => [title, '', '| position | holds |', '|---|---|', ...fields.map((f, i) => `| ${i} | ${cell(f)} |`), ''];
  return [
    '## Redis',
    '',
    'The processors\' state (`CLV_REDIS_URL`), one Redis string per state key, written whole by a fenced `SET` (one Lua',
    'script call per batch of up to 1,000 keys; a key per call on a Cluster) (`adapters/redis/redis-state-store.ts`,',
    '`adapters/redis/fenced-write.ts`). Keys are `clv:<namespace>:{<customer id>}<rest>`',
    '(`adapters/redis/redis-key-layout.ts`): the customer id is the Redis Cluster hash tag, so all of a customer\'s keys share',
    'one slot; `%` and `}` in an id are escaped inside the braces.',
    '',
    '| namespace | keys | example | holds | written by | expires |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    `Beside each namespace, \`clv-format:<namespace>\` holds the state format version (now ${STATE_FORMAT},`,
    '`processors/state-format.ts`). A process whose build uses another format refuses to start on that Redis; the states are',
    'then rebuilt by replaying the topics ([runbook.md](runbook.md#rebuild-redis)). Everything in Redis can be rebuilt from',
    'Kafka: it is a cache of the topics, not a system of record.',
    '',
    '### Values',
    '',
    'Each value is `<write version>\\n<state>`: the decimal write version of the instance that wrote it (fencing), a newline,',
    'then the state as a JSON array read by position — no field names, nothing the key already says, times as distances from',
    'one of them (`processors/state-codecs/*.ts`, app/redis-state-stores.ts pairs each namespace with its codec). Decoding',
    'gives back exactly the state the processor wrote; a value that is not of this format fails with a message naming the',
    'state, the field and what was found. `npm run bench:redis` measures what each namespace costs ([performance.md](performance.md)).',
    '',
    ...positions('`ledgers` (`OrderLedger`, processors/purchases/purchase-joiner.ts):', ORDER_LEDGER_FIELDS),
    ...positions('`histories` (`CustomerPurchaseHistory`, processors/features/customer-purchase-history.ts):', PURCHASE_HISTORY_FIELDS),
    ...positions('Each order of a history (`PurchasedOrder`, PURCHASED_ORDER_FIELDS):', PURCHASED_ORDER_FIELDS),
    ...positions('`scores` (`CustomerScoreState`, processors/scoring/customer-scorer.ts):', SCORE_STATE_FIELDS),
  ];
}

interface AvroField { name: string; type: unknown; default?: unknown; doc?: string }
interface AvroRecord { type: 'record'; name: string; namespace?: string; doc?: string; fields: AvroField[] }

/** An Avro type as one short line: `long (timestamp-millis)`, `null | string`, `array<LineItem>`. */
export function avroType(type: unknown): string {
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.map(avroType).join(' \\| ');
  const t = type as Record<string, unknown>;
  if (t.logicalType) return `${String(t.type)} (${String(t.logicalType)})`;
  if (t.type === 'enum') return `enum ${String(t.name)}: ${(t.symbols as string[]).join(', ')}`;
  if (t.type === 'array') return `array<${avroType(t.items)}>`;
  if (t.type === 'record') return `record ${String(t.name)}`;
  return String(t.type);
}

/** Nested records, depth first, so that each gets its own field table. */
function nestedRecords(type: unknown, out: AvroRecord[]): void {
  if (Array.isArray(type)) type.forEach((t) => nestedRecords(t, out));
  else if (type && typeof type === 'object') {
    const t = type as Record<string, unknown>;
    if (t.type === 'record') { out.push(t as unknown as AvroRecord); (t.fields as AvroField[]).forEach((f) => nestedRecords(f.type, out)); }
    else if (t.type === 'array') nestedRecords(t.items, out);
  }
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function fieldTable(record: AvroRecord): string[] {
  return [
    '| field | type | default | meaning |',
    '|---|---|---|---|',
    ...record.fields.map((f) => `| \`${f.name}\` | ${avroType(f.type).replace(/^(.*)$/, '`$1`').replace(/ \\\| /g, ' \\| ')} | ${'default' in f ? `\`${JSON.stringify(f.default)}\`` : ''} | ${cell(f.doc ?? '')} |`),
  ];
}

function topicsSection(): string[] {
  const files = readdirSync(new URL('schemas/', root)).filter((f) => f.endsWith('.avsc')).sort();
  const specs = topicSpecs(DEFAULTS.partitions);
  const lines = [
    '## Kafka topics and their Avro schemas',
    '',
    'Created by the processes when missing (`adapters/kafka/create-topics.ts`), from `core/topics.ts`; existing topics are',
    `never changed. Partitions: \`CLV_PARTITIONS\` (default ${DEFAULTS.partitions}) except where one partition is fixed. Values are Avro in the`,
    'Confluent wire format (a magic byte and the schema id, then the Avro body), the schema `schemas/<topic>.avsc` registered',
    'under the subject `<topic>-value` with backward compatibility (`adapters/avro/`). Money is an integer count of minor units.',
    'Who produces and consumes each topic, ordering, duplicates and dead letters: [event-flow.md](event-flow.md).',
    '',
    '| topic | partitions | cleanup | key | schema |',
    '|---|---|---|---|---|',
    ...specs.map((s) => `| \`${s.name}\` | ${s.partitions === DEFAULTS.partitions ? '`CLV_PARTITIONS`' : s.partitions} | ${s.compacted ? 'compact' : 'delete (broker retention)'} | ${s.name === Topics.anomalies ? 'the metric' : s.name === Topics.deadLetter ? 'the failed message\'s own key' : 'customer id'} | ${files.includes(`${s.name}.avsc`) ? `\`schemas/${s.name}.avsc\`` : '**none**'} |`),
    '',
  ];
  for (const file of files) {
    const schema = JSON.parse(readFileSync(new URL(`schemas/${file}`, root), 'utf8')) as AvroRecord;
    const topic = file.replace(/\.avsc$/, '');
    lines.push(`### \`${topic}\``, '', `Record \`${schema.namespace ? `${schema.namespace}.` : ''}${schema.name}\`${schema.doc ? `: ${schema.doc}` : '.'}`, '', ...fieldTable(schema), '');
    const nested: AvroRecord[] = [];
    schema.fields.forEach((f) => nestedRecords(f.type, nested));
    for (const r of nested) lines.push(`Record \`${r.name}\`${r.doc ? `: ${r.doc.replace(/\.$/, '')}` : ''}:`, '', ...fieldTable(r), '');
  }
  return lines;
}

export function databaseSchemaMarkdown(): string {
  return [
    '<!-- Generated by `npm run docs:schema` (scripts/docs/database-schema-doc.ts) from the ClickHouse migrations,',
    '     the Redis key layout and schemas/*.avsc. Do not edit: tests/database-schema-doc.test.ts fails when it is stale. -->',
    '# Database schema',
    '',
    'Where clv-stream keeps data, for the engineer or analyst who needs the exact layout: the ClickHouse analyst tables, the',
    'Redis state of the stream processors, and the Kafka topics. The model registry is a directory of files',
    '(`CLV_MODEL_REGISTRY_DIR`, `adapters/local-directory/`): see [models.md](models.md) and [maintenance.md](maintenance.md).',
    '',
    ...clickhouseSection(),
    ...redisSection(),
    ...topicsSection(),
  ].join('\n').replace(/\n+$/, '\n');
}

export const DOC = new URL('docs/database-schema.md', root);

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(DOC, databaseSchemaMarkdown());
  console.log(`wrote ${DOC.pathname}`);
}
