/**
 * `clv backup --out DIR`: the ClickHouse database (CLV_CLICKHOUSE_DATABASE, every table as a
 * Native dump), the clv keys of the Redis database (CLV_REDIS_URL, DUMP payloads with their
 * expiry) and the model registry (CLV_MODEL_REGISTRY_DIR with its CHAMPION pointer) into one
 * directory with a checksummed manifest (app/backup-manifest.ts). Written under
 * `DIR.partial` and renamed to DIR when complete: a directory named DIR is a whole backup.
 * Reads only; nothing on the services is changed.
 */
import { redactSecrets } from '../core/redact-secrets.js';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { ClickHouseConnection, clickhouseConnection } from '../adapters/clickhouse/clickhouse-connection.js';
import { dumpDatabase } from '../adapters/clickhouse/clickhouse-dump.js';
import { ident, sql } from '../adapters/clickhouse/sql.js';
import { copyRegistry } from '../adapters/local-directory/model-registry-copy.js';
import { redisConnectionOptions } from '../adapters/redis/redis-connection.js';
import { dumpKeys } from '../adapters/redis/redis-key-dump.js';
import type { Config } from '../config/config.js';
import { ClvError, ErrorCodes } from '../core/errors.js';
import { BACKUP_FORMAT, checksumTree, MANIFEST_FILE, type BackupManifest } from './backup-manifest.js';

/** One table's dump or load is one HTTP request: allowed an hour, not the sink's minute. */
const TABLE_TIMEOUT_MS = 3_600_000;

export interface BackupOptions {
  out: string;
  /** SCAN MATCH pattern of the Redis keys to back up; every key the processors write starts with `clv:`. */
  redisMatch: string;
  now?: () => number;
}

export const DEFAULT_REDIS_MATCH = 'clv:*';

/**
 * Backups read one Redis (SCAN and DUMP on one node) and one ClickHouse server's tables: on a
 * Redis Cluster or sharded ClickHouse they would miss the other nodes' keys and rows, so they
 * refuse instead (back up each node with its own tools, or rebuild by replay: docs/runbook.md).
 */
export function refuseScaledOut(config: Readonly<Config>, command: string): void {
  const which = config.redisCluster ? 'CLV_REDIS_CLUSTER' : config.clickhouseCluster !== null ? 'CLV_CLICKHOUSE_CLUSTER' : null;
  if (which !== null) throw new ClvError(ErrorCodes.INVALID_CONFIG, `${command} reads one Redis and one ClickHouse server; with ${which} set it would miss the other nodes: back up each node with its own tools, or rebuild by replay (docs/runbook.md)`);
}

export async function backupNow(config: Readonly<Config>, o: BackupOptions): Promise<BackupManifest> {
  refuseScaledOut(config, 'clv backup');
  const now = o.now ?? Date.now;
  if (existsSync(o.out) && (await readdir(o.out)).length > 0) throw new ClvError(ErrorCodes.INVALID_CONFIG, `--out ${o.out} exists and is not empty: name a new directory`);
  const partial = `${o.out}.partial`;
  await rm(partial, { recursive: true, force: true });
  for (const part of ['clickhouse', 'redis']) await mkdir(join(partial, part), { recursive: true });
  const startedAt = new Date(now()).toISOString();

  const connection = await ClickHouseConnection.connect({ ...clickhouseConnection(config), requestTimeoutMs: TABLE_TIMEOUT_MS });
  let clickhouse: BackupManifest['clickhouse'];
  try {
    const dump = await dumpDatabase(connection, config.clickhouseDatabase, join(partial, 'clickhouse'));
    const migrations = dump.tables.some((t) => t.table === 'schema_migrations')
      ? (await connection.select<{ version: number | string }>(sql`SELECT version FROM ${ident(config.clickhouseDatabase, 'schema_migrations')} FINAL ORDER BY version`)).map((r) => Number(r.version))
      : [];
    const schema = [...dump.tables, ...dump.views].map((t) => `${t.createQuery};\n`).join('\n');
    await writeFile(join(partial, 'clickhouse', 'schema.sql'), schema);
    clickhouse = { database: dump.database, serverVersion: dump.serverVersion, migrations, tables: dump.tables, views: dump.views };
  } finally {
    await connection.close();
  }

  const redis = new Redis(config.redisUrl, { ...redisConnectionOptions(config), lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5_000 });
  redis.on('error', () => {}); // surfaced by the command that fails
  let keys;
  try {
    await redis.connect();
    keys = await dumpKeys(redis, o.redisMatch, join(partial, 'redis', 'keys.jsonl'));
  } catch (cause) {
    throw cause instanceof ClvError ? cause : new ClvError(ErrorCodes.DEPENDENCY_FAILED, `cannot back up Redis at ${redactSecrets(config.redisUrl)}: ${(cause as Error).message}`, { retriable: true, cause });
  } finally {
    redis.disconnect();
  }

  const models = await copyRegistry(config.modelRegistryDir, join(partial, 'models'));

  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    startedAt,
    finishedAt: new Date(now()).toISOString(),
    clickhouse,
    redis: { match: o.redisMatch, file: join('redis', 'keys.jsonl'), keys: keys.keys, expiring: keys.expiring },
    models: { dir: 'models', versions: models.versions, champion: models.champion },
    files: await checksumTree(partial),
  };
  await writeFile(join(partial, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
  await rm(o.out, { recursive: true, force: true });
  await rename(partial, o.out);
  return manifest;
}

/** What a backup holds, in a few lines for the terminal. */
export function backupSummaryText(m: BackupManifest, dir: string): string {
  const rows = m.clickhouse.tables.reduce((n, t) => n + t.rows, 0);
  return [
    `backup ${dir} (${m.startedAt} → ${m.finishedAt})`,
    `  clickhouse ${m.clickhouse.database}: ${m.clickhouse.tables.length} tables, ${rows} rows, ${m.clickhouse.views.length} views (schema version ${Math.max(0, ...m.clickhouse.migrations)})`,
    ...m.clickhouse.tables.map((t) => `    ${t.table}: ${t.rows}`),
    `  redis ${m.redis.match}: ${m.redis.keys} keys (${m.redis.expiring} with an expiry)`,
    `  models: ${m.models.versions.length} versions, champion ${m.models.champion ?? 'none'}`,
  ].join('\n');
}
