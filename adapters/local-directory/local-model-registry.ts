/**
 * ModelRegistry on a local (or shared) directory: `<dir>/<version>/model.json` and
 * `info.json`, a `CHAMPION` file naming the champion, and `PROMOTIONS.jsonl`, one line per
 * change of champion. Writes go to a temporary file and are renamed into place, so a reader
 * never sees half a model; the promotion log is appended before CHAMPION moves, so it never
 * misses the champion in use.
 */
import { appendFile, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ClvError, ErrorCodes } from '../../core/errors.js';
import type { ModelRegistry, ModelVersionInfo, PromotionReason, PromotionRecord } from '../../core/ports/model-registry.js';

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

  async promote(version: string, reason: PromotionReason = 'manual'): Promise<void> {
    if (!existsSync(join(this.versionDir(version), 'info.json'))) throw new ClvError(ErrorCodes.NO_MODEL, `no model version ${version} in ${this.dir}`);
    const record: PromotionRecord = { version, promotedAt: new Date().toISOString(), reason, previous: await this.championVersion() };
    await appendFile(join(this.dir, 'PROMOTIONS.jsonl'), JSON.stringify(record) + '\n');
    await atomicWrite(join(this.dir, 'CHAMPION'), version + '\n');
  }

  async promotions(): Promise<PromotionRecord[]> {
    let text: string;
    try {
      text = await readFile(join(this.dir, 'PROMOTIONS.jsonl'), 'utf8');
    } catch {
      return [];
    }
    // A line cut short by a crash mid-append is skipped rather than failing every reader.
    const records: PromotionRecord[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        records.push(JSON.parse(line) as PromotionRecord);
      } catch {
        continue;
      }
    }
    return records;
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

  async attach(version: string, name: string, document: unknown): Promise<void> {
    const dir = this.versionDir(version);
    if (!existsSync(join(dir, 'info.json'))) throw new ClvError(ErrorCodes.NO_MODEL, `no model version ${version} in ${this.dir}`);
    await atomicWrite(join(dir, attachmentFile(name)), JSON.stringify(document));
  }

  async attachment(version: string, name: string): Promise<unknown | null> {
    const path = join(this.versionDir(version), attachmentFile(name));
    try {
      return JSON.parse(await readFile(path, 'utf8'));
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new ClvError(ErrorCodes.NO_MODEL, `cannot read ${path}: ${(cause as Error).message}`, { cause });
    }
  }

  private versionDir(version: string): string {
    if (!VERSION.test(version)) throw new ClvError(ErrorCodes.INVALID_CONFIG, `bad model version "${version}" (letters, digits, . _ -)`);
    return join(this.dir, version);
  }
}

const ATTACHMENT = /^[A-Za-z0-9_-]{1,64}$/;

/** `<name>.attachment.json`: never model.json or info.json, whatever the name. */
function attachmentFile(name: string): string {
  if (!ATTACHMENT.test(name)) throw new ClvError(ErrorCodes.INVALID_CONFIG, `bad attachment name "${name}" (letters, digits, - _)`);
  return `${name}.attachment.json`;
}

async function atomicWrite(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}
