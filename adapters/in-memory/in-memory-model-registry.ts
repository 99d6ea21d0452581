/**
 * ModelRegistry in process memory, for the embedded mode (the demo's API retrain) and tests:
 * the same contract as the local-directory registry, gone when the process ends.
 */
import { ClvError, ErrorCodes } from '../../core/errors.js';
import type { ModelRegistry, ModelVersionInfo, PromotionReason, PromotionRecord } from '../../core/ports/model-registry.js';

export class InMemoryModelRegistry implements ModelRegistry {
  private readonly versions = new Map<string, { info: ModelVersionInfo; artifact: string; attachments: Map<string, string> }>();
  private readonly log: PromotionRecord[] = [];
  private champion: string | null = null;

  async register(info: ModelVersionInfo, artifact: unknown): Promise<void> {
    if (this.versions.has(info.version)) throw new ClvError(ErrorCodes.INVALID_CONFIG, `model version ${info.version} already exists`);
    // Kept as JSON, as on disk: a caller mutating its objects later cannot change a version.
    this.versions.set(info.version, { info: structuredClone(info), artifact: JSON.stringify(artifact), attachments: new Map() });
  }

  async promote(version: string, reason: PromotionReason = 'manual'): Promise<void> {
    if (!this.versions.has(version)) throw new ClvError(ErrorCodes.NO_MODEL, `no model version ${version}`);
    this.log.push({ version, promotedAt: new Date().toISOString(), reason, previous: this.champion });
    this.champion = version;
  }

  async promotions(): Promise<PromotionRecord[]> {
    return this.log.map((p) => ({ ...p }));
  }

  async championVersion(): Promise<string | null> {
    return this.champion;
  }

  async load(version: string): Promise<{ info: ModelVersionInfo; artifact: unknown }> {
    const v = this.versions.get(version);
    if (!v) throw new ClvError(ErrorCodes.NO_MODEL, `no model version ${version}`);
    return { info: structuredClone(v.info), artifact: JSON.parse(v.artifact) };
  }

  async list(): Promise<ModelVersionInfo[]> {
    return [...this.versions.values()].map((v) => structuredClone(v.info)).sort((a, b) => a.registeredAt.localeCompare(b.registeredAt) || a.version.localeCompare(b.version));
  }

  async attach(version: string, name: string, document: unknown): Promise<void> {
    const v = this.versions.get(version);
    if (!v) throw new ClvError(ErrorCodes.NO_MODEL, `no model version ${version}`);
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) throw new ClvError(ErrorCodes.INVALID_CONFIG, `bad attachment name "${name}" (letters, digits, - _)`);
    v.attachments.set(name, JSON.stringify(document));
  }

  async attachment(version: string, name: string): Promise<unknown | null> {
    const text = this.versions.get(version)?.attachments.get(name);
    return text === undefined ? null : JSON.parse(text);
  }
}
