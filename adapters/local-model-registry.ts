/**
 * ModelRegistry on a local (or shared) directory: `<dir>/<version>/model.json` and
 * `info.json`, and a `CHAMPION` file naming the champion. Writes go to a temporary file and
 * are renamed into place, so a reader never sees half a model.
 */
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ClvError, ErrorCodes } from '../core/errors.js';
import type { ModelRegistry, ModelVersionInfo } from '../core/ports/model-registry.js';

const VERSION = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export class LocalModelRegistry implements ModelRegistry {
  constructor(private readonly dir: string) {}

  async register(info: ModelVersionInfo, artifact: unknown): Promise<void> {
    const dir = this.versionDir(info.version);
    if (existsSync(dir)) throw new ClvError(ErrorCodes.INVALID_CONFIG, `model version ${info.version} already exists in ${this.dir}`);
    await mkdir(dir, { recursive: true });
    await atomicWrite(join(dir, 'model.json'), JSON.stringify(artifact));
    await atomicWrite(join(dir, 'info.json'), JSON.stringify(info, null, 2));
  }

  async promote(version: string): Promise<void> {
    if (!existsSync(join(this.versionDir(version), 'info.json'))) throw new ClvError(ErrorCodes.NO_MODEL, `no model version ${version} in ${this.dir}`);
    await atomicWrite(join(this.dir, 'CHAMPION'), version + '\n');
  }

  async championVersion(): Promise<string | null> {
    try {
      return (await readFile(join(this.dir, 'CHAMPION'), 'utf8')).trim() || null;
    } catch {
      return null;
    }
  }

  async load(version: string): Promise<{ info: ModelVersionInfo; artifact: unknown }> {
    const dir = this.versionDir(version);
    try {
      const [info, artifact] = await Promise.all([readFile(join(dir, 'info.json'), 'utf8'), readFile(join(dir, 'model.json'), 'utf8')]);
      return { info: JSON.parse(info), artifact: JSON.parse(artifact) };
    } catch (cause) {
      throw new ClvError(ErrorCodes.NO_MODEL, `cannot load model ${version} from ${this.dir}: ${(cause as Error).message}`, { cause });
    }
  }

  async list(): Promise<ModelVersionInfo[]> {
    if (!existsSync(this.dir)) return [];
    const infos: ModelVersionInfo[] = [];
    for (const entry of await readdir(this.dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || !existsSync(join(this.dir, entry.name, 'info.json'))) continue;
      infos.push(JSON.parse(await readFile(join(this.dir, entry.name, 'info.json'), 'utf8')));
    }
    return infos.sort((a, b) => a.registeredAt.localeCompare(b.registeredAt) || a.version.localeCompare(b.version));
  }

  private versionDir(version: string): string {
    if (!VERSION.test(version)) throw new ClvError(ErrorCodes.INVALID_CONFIG, `bad model version "${version}" (letters, digits, . _ -)`);
    return join(this.dir, version);
  }
}

async function atomicWrite(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}
