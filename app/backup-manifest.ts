/**
 * `manifest.json` of a backup directory: what each part holds (tables and their row counts,
 * Redis keys, model versions and the champion) and the SHA-256 of every file, so a restore
 * checks the whole backup before it writes anything.
 *
 * Layout of a backup directory:
 *   manifest.json
 *   clickhouse/<table>.native   one per table, ClickHouse Native format
 *   clickhouse/schema.sql       every CREATE statement, tables and views (for reading; the
 *                               restore recreates the schema with this build's migrations)
 *   redis/keys.jsonl            one key a line: base64 key, base64 DUMP payload, expiry
 *   models/                     the model registry directory as it was
 */
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { DumpedTable, DumpedView } from '../adapters/clickhouse/clickhouse-dump.js';
import { ClvError, ErrorCodes } from '../core/errors.js';

export const BACKUP_FORMAT = 1;

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  /** When the backup started and ended (wall clock, ISO 8601). */
  startedAt: string;
  finishedAt: string;
  clickhouse: {
    database: string;
    serverVersion: string;
    /** Versions recorded in schema_migrations. */
    migrations: number[];
    tables: DumpedTable[];
    views: DumpedView[];
  };
  redis: {
    /** The SCAN MATCH pattern of the keys backed up. */
    match: string;
    file: string;
    keys: number;
    expiring: number;
  };
  models: {
    dir: string;
    versions: string[];
    champion: string | null;
  };
  /** Path relative to the backup directory → SHA-256 (hex). */
  files: Record<string, string>;
}

export const MANIFEST_FILE = 'manifest.json';

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** SHA-256 of every file under `dir`, by path relative to it. */
export async function checksumTree(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[relative(dir, path)] = await sha256OfFile(path);
  }
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b)));
}

/** Reads the manifest and checks that every file it lists is there with its checksum, and no other. */
export async function readVerifiedManifest(dir: string): Promise<BackupManifest> {
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as BackupManifest;
  } catch (cause) {
    throw new ClvError(ErrorCodes.INVALID_CONFIG, `--from ${dir}: no readable ${MANIFEST_FILE} (${(cause as Error).message}); is it a directory written by clv backup?`, { cause });
  }
  if (manifest.format !== BACKUP_FORMAT) throw new ClvError(ErrorCodes.INVALID_CONFIG, `--from ${dir}: backup format ${manifest.format}, this build reads ${BACKUP_FORMAT}`);
  const actual = await checksumTree(dir);
  delete actual[MANIFEST_FILE];
  for (const [path, sum] of Object.entries(manifest.files)) {
    if (actual[path] === undefined) throw new ClvError(ErrorCodes.INVALID_INPUT_FILE, `backup ${dir}: ${path} is missing`);
    if (actual[path] !== sum) throw new ClvError(ErrorCodes.INVALID_INPUT_FILE, `backup ${dir}: ${path} does not match its checksum (damaged or edited)`);
  }
  const extra = Object.keys(actual).find((path) => manifest.files[path] === undefined);
  if (extra !== undefined) throw new ClvError(ErrorCodes.INVALID_INPUT_FILE, `backup ${dir}: ${extra} is not in the manifest`);
  return manifest;
}
