/**
 * `clv restore --from DIR`: a directory written by `clv backup` back into the ClickHouse
 * database, Redis database and model registry the settings name. Everything is checked
 * before anything is written: every file against its checksum, the backup's schema against
 * this build's migrations, and every target empty (the tables, the backed-up Redis keys, the
 * registry directory) — a restore never mixes a backup with live data. Then the schema is
 * created by this build's migrations, the tables are loaded and their rows counted against
 * the manifest, the keys restored with their expiry, the registry copied with its champion.
 */
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { ClickHouseConnection, clickhouseConnection } from '../adapters/clickhouse/clickhouse-connection.js';
import { countRows, loadTable, rawRowCount, tablesOf } from '../adapters/clickhouse/clickhouse-dump.js';
import { migrate } from '../adapters/clickhouse/migrate.js';
import { migrations } from '../adapters/clickhouse/migrations/index.js';
import { registryIsEmpty, restoreRegistry } from '../adapters/local-directory/model-registry-copy.js';
import { redisConnectionOptions } from '../adapters/redis/redis-connection.js';
import { firstExistingKey, restoreKeys } from '../adapters/redis/redis-key-dump.js';
import type { Config } from '../config/config.js';
import { ClvError, ErrorCodes } from '../core/errors.js';
import { redactSecrets } from '../core/redact-secrets.js';
import { readVerifiedManifest, type BackupManifest } from './backup-manifest.js';
import { refuseScaledOut } from './backup.js';

/** One table's dump or load is one HTTP request: allowed an hour, not the sink's minute. */
const TABLE_TIMEOUT_MS = 3_600_000;

export interface RestoreOptions {
  from: string;
  now?: () => number;
}

export interface RestoreReport {
  manifest: BackupManifest;
  database: string;
  /** Table → rows after the restore (counted as the manifest counts them). */
  rows: Record<string, number>;
  keysRestored: number;
  keysExpired: number;
  champion: string | null;
}

/** Bookkeeping of the migrations: written by migrate() for this build, not restored. */
const SCHEMA_TABLE = 'schema_migrations';

export async function restoreNow(config: Readonly<Config>, o: RestoreOptions): Promise<RestoreReport> {
  refuseScaledOut(config, 'clv restore');
  const manifest = await readVerifiedManifest(o.from);
  const known = new Set(migrations.map((m) => m.version));
  const unknown = manifest.clickhouse.migrations.filter((v) => !known.has(v));
  if (unknown.length > 0) {
    throw new ClvError(ErrorCodes.INVALID_CONFIG, `backup ${o.from} has ClickHouse schema versions this build does not know (${unknown.join(', ')}): restore it with the build that wrote it or a newer one`);
  }
  const database = config.clickhouseDatabase;
  const tables = manifest.clickhouse.tables.filter((t) => t.table !== SCHEMA_TABLE);

  const connection = await ClickHouseConnection.connect({ ...clickhouseConnection(config), requestTimeoutMs: TABLE_TIMEOUT_MS });
  const redis = new Redis(config.redisUrl, { ...redisConnectionOptions(config), lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5_000 });
  redis.on('error', () => {}); // surfaced by the command that fails
  try {
    try {
      await redis.connect();
    } catch (cause) {
      throw new ClvError(ErrorCodes.DEPENDENCY_FAILED, `cannot reach Redis at ${redactSecrets(config.redisUrl)}: ${(cause as Error).message}`, { retriable: true, cause });
    }
    // Every target empty, before anything is written.
    const existing = await tablesOf(connection, database);
    for (const t of tables) {
      if (existing.has(t.table) && (await rawRowCount(connection, database, t.table)) > 0) {
        throw new ClvError(ErrorCodes.INVALID_CONFIG, `ClickHouse ${database}.${t.table} already holds rows: restore into an empty or new database (CLV_CLICKHOUSE_DATABASE)`);
      }
    }
    const busy = await firstExistingKey(redis, join(o.from, manifest.redis.file));
    if (busy !== null) throw new ClvError(ErrorCodes.INVALID_CONFIG, `Redis at ${redactSecrets(config.redisUrl)} already holds ${busy}, a key of the backup: restore into a database without the backed-up keys`);
    if (!(await registryIsEmpty(config.modelRegistryDir))) {
      throw new ClvError(ErrorCodes.INVALID_CONFIG, `CLV_MODEL_REGISTRY_DIR ${config.modelRegistryDir} is not empty: move it away before restoring into it`);
    }

    await migrate(connection, database);
    const rows: Record<string, number> = {};
    for (const t of tables) {
      await loadTable(connection, database, t, join(o.from, 'clickhouse'));
      rows[t.table] = await countRows(connection, database, t.table, t.engine);
      if (rows[t.table] !== t.rows) throw new ClvError(ErrorCodes.DEPENDENCY_FAILED, `restored ${database}.${t.table} holds ${rows[t.table]} rows, the backup ${t.rows}`);
    }
    const keys = await restoreKeys(redis, join(o.from, manifest.redis.file), o.now);
    const registry = await restoreRegistry(join(o.from, manifest.models.dir), config.modelRegistryDir);
    if (registry.champion !== manifest.models.champion) {
      throw new ClvError(ErrorCodes.NO_MODEL, `restored registry's champion is ${registry.champion ?? 'none'}, the backup's ${manifest.models.champion ?? 'none'}`);
    }
    return { manifest, database, rows, keysRestored: keys.restored, keysExpired: keys.expired, champion: registry.champion };
  } finally {
    redis.disconnect();
    await connection.close();
  }
}

export function restoreSummaryText(r: RestoreReport, config: Readonly<Config>): string {
  const rows = Object.values(r.rows).reduce((n, x) => n + x, 0);
  return [
    `restored backup of ${r.manifest.finishedAt}`,
    `  clickhouse ${r.database}: ${Object.keys(r.rows).length} tables, ${rows} rows (each count checked against the backup)`,
    `  redis ${redactSecrets(config.redisUrl)}: ${r.keysRestored} keys${r.keysExpired > 0 ? `, ${r.keysExpired} expired since the backup and not restored` : ''}`,
    `  models ${config.modelRegistryDir}: ${r.manifest.models.versions.length} versions, champion ${r.champion ?? 'none'}`,
  ].join('\n');
}
