/** app/backup.ts without services: what it refuses before touching any. (Backups themselves: integration/backup-restore.test.ts.) */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backupNow } from '../app/backup.js';
import { restoreNow } from '../app/restore-backup.js';
import { loadConfig } from '../config/config.js';
import { ErrorCodes } from '../core/errors.js';

test('backup and restore refuse a Redis Cluster or sharded ClickHouse, naming the setting, before reaching any service', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'clv-backup-refusal-'));
  try {
    const cluster = loadConfig({ CLV_REDIS_CLUSTER: 'true', CLV_REDIS_URL: 'redis://127.0.0.1:1' });
    const sharded = loadConfig({ CLV_CLICKHOUSE_CLUSTER: 's', CLV_CLICKHOUSE_SHARD_URLS: 'http://127.0.0.1:1,http://127.0.0.1:2' });
    const refused = (setting: string) => (e: Error & { code?: string }) => e.code === ErrorCodes.INVALID_CONFIG && e.message.includes(setting) && /other nodes/.test(e.message);
    await assert.rejects(backupNow(cluster, { out: join(dir, 'b'), redisMatch: 'clv:*' }), refused('CLV_REDIS_CLUSTER'));
    await assert.rejects(backupNow(sharded, { out: join(dir, 'b'), redisMatch: 'clv:*' }), refused('CLV_CLICKHOUSE_CLUSTER'));
    await assert.rejects(restoreNow(sharded, { from: join(dir, 'none') }), refused('CLV_CLICKHOUSE_CLUSTER'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
