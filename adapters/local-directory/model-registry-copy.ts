/**
 * The local model registry (LocalModelRegistry: `<version>/model.json`, `info.json`, the
 * `CHAMPION` pointer, `PROMOTIONS.jsonl`) copied file by file, and copied back. The registry
 * only ever renames finished files into place, so a copy taken while training runs holds
 * whole files; the champion pointer is checked to name a version the copy holds.
 */
import { cp, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ClvError, ErrorCodes } from '../../core/errors.js';

export interface RegistryCopySummary {
  /** Version directories (those with an info.json). */
  versions: string[];
  champion: string | null;
}

/** Copies the registry `from` into `to` (created); an absent registry copies as empty. */
export async function copyRegistry(from: string, to: string): Promise<RegistryCopySummary> {
  await mkdir(to, { recursive: true });
  if (existsSync(from)) {
    // Leftover temporary files of an interrupted write are not part of the registry.
    await cp(from, to, { recursive: true, filter: (source) => !/\.tmp[^/]*$/.test(source) });
  }
  return describeRegistry(to);
}

/** What a registry directory holds; fails when CHAMPION names a version it lacks. */
export async function describeRegistry(dir: string): Promise<RegistryCopySummary> {
  if (!existsSync(dir)) return { versions: [], champion: null };
  const versions: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && existsSync(join(dir, entry.name, 'info.json'))) versions.push(entry.name);
  }
  versions.sort();
  let champion: string | null = null;
  try {
    champion = (await readFile(join(dir, 'CHAMPION'), 'utf8')).trim() || null;
  } catch {
    champion = null;
  }
  if (champion !== null && !versions.includes(champion)) {
    throw new ClvError(ErrorCodes.NO_MODEL, `${dir}: CHAMPION names ${champion}, which has no ${join(champion, 'info.json')}`);
  }
  return { versions, champion };
}

/** True when `dir` is absent or an empty directory: a restore never mixes two registries. */
export async function registryIsEmpty(dir: string): Promise<boolean> {
  return !existsSync(dir) || (await readdir(dir)).length === 0;
}

/** Copies a registry backup into `to`, which must be absent or empty. */
export async function restoreRegistry(from: string, to: string): Promise<RegistryCopySummary> {
  if (!(await registryIsEmpty(to))) throw new ClvError(ErrorCodes.INVALID_CONFIG, `CLV_MODEL_REGISTRY_DIR ${to} is not empty: move it away before restoring into it`);
  await mkdir(to, { recursive: true });
  try {
    await cp(from, to, { recursive: true });
  } catch (cause) {
    await rm(to, { recursive: true, force: true });
    throw cause;
  }
  return describeRegistry(to);
}
