/**
 * The backup manifest's checks, on a directory in tmp: a restore reads a backup only when
 * every listed file is there with its SHA-256 and nothing else is.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BACKUP_FORMAT, checksumTree, MANIFEST_FILE, readVerifiedManifest, type BackupManifest } from '../app/backup-manifest.js';
import { ClvError } from '../core/errors.js';

async function backupDir(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'clv-manifest-'));
  mkdirSync(join(dir, 'clickhouse'));
  writeFileSync(join(dir, 'clickhouse', 'orders.native'), Buffer.from([1, 2, 3]));
  writeFileSync(join(dir, 'keys.jsonl'), '{"k":"YQ==","v":"","x":-1}\n');
  const manifest = { format: BACKUP_FORMAT, files: await checksumTree(dir) } as BackupManifest;
  writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify(manifest));
  return dir;
}

async function refusal(dir: string): Promise<string> {
  try {
    await readVerifiedManifest(dir);
  } catch (error) {
    assert.ok(error instanceof ClvError);
    return error.message;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return 'accepted';
}

test('checksumTree: SHA-256 of every file by relative path (sha256 of "abc" is the FIPS 180-2 test vector)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'clv-manifest-'));
  writeFileSync(join(dir, 'abc'), 'abc');
  assert.deepEqual(await checksumTree(dir), { abc: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' });
  rmSync(dir, { recursive: true, force: true });
});

test('readVerifiedManifest accepts an intact backup', async () => {
  const dir = await backupDir();
  assert.deepEqual(Object.keys((await readVerifiedManifest(dir)).files), ['clickhouse/orders.native', 'keys.jsonl']);
  rmSync(dir, { recursive: true, force: true });
});

test('readVerifiedManifest refuses an edited, a missing and an extra file, naming it', async () => {
  let dir = await backupDir();
  writeFileSync(join(dir, 'clickhouse', 'orders.native'), Buffer.from([1, 2, 4]));
  assert.match(await refusal(dir), /clickhouse\/orders\.native does not match its checksum/);
  dir = await backupDir();
  rmSync(join(dir, 'keys.jsonl'));
  assert.match(await refusal(dir), /keys\.jsonl is missing/);
  dir = await backupDir();
  writeFileSync(join(dir, 'clickhouse', 'stray.native'), '');
  assert.match(await refusal(dir), /clickhouse\/stray\.native is not in the manifest/);
});

test('readVerifiedManifest refuses a directory without a manifest and another format', async () => {
  assert.match(await refusal(mkdtempSync(join(tmpdir(), 'clv-manifest-'))), /no readable manifest\.json.*clv backup/);
  const dir = await backupDir();
  writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify({ format: 99, files: {} }));
  assert.match(await refusal(dir), /backup format 99, this build reads 1/);
});
