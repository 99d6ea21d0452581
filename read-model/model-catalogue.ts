/**
 * The models the read model knows: the pipeline's current champion, versions recorded in
 * process (`record`, e.g. right after training in embedded mode), and — when given — every
 * version in the model registry (production: the directory `clv train` writes). Model
 * objects are cached by version (artifacts never change), so customers scored by an older
 * version can still be explained.
 */
import { ClvError, ErrorCodes } from '../core/errors.js';
import type { ModelDetail, ModelSummary } from '../core/ports/clv-read-model.js';
import type { ModelRegistry, ModelVersionInfo } from '../core/ports/model-registry.js';
import type { CustomerValueModel } from '../core/customer-value-model.js';
import { BgNbdGammaGammaModel } from '../models/kinds/bgnbd-gamma-gamma-model.js';
import { modelFromArtifact } from '../models/kinds/model-kinds.js';

interface Entry {
  version: string;
  kind: string;
  /** null when the artifact is of a kind this process cannot load. */
  model: CustomerValueModel | null;
  trainedAtMs: number | null;
  metrics: Record<string, number>;
  /** What the version's record says about it (training's details: window, holdout metrics…); null when unknown. */
  details: unknown;
}

/** Finite numeric leaves of a details object as dotted names (`holdout.mape`); parameters are not metrics. */
function numericLeaves(value: unknown, prefix = '', out: Record<string, number> = {}, depth = 0): Record<string, number> {
  if (typeof value === 'number' && Number.isFinite(value) && prefix !== '') out[prefix] = value;
  else if (typeof value === 'object' && value !== null && !Array.isArray(value) && depth < 4) {
    for (const [k, v] of Object.entries(value)) if (k !== 'params') numericLeaves(v, prefix ? `${prefix}.${k}` : k, out, depth + 1);
  }
  return out;
}

export class ModelCatalogue {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly currentModel: () => CustomerValueModel | null, private readonly registry?: ModelRegistry) {}

  /** `details` as a registry records them (training-run.ts): their numeric leaves are metrics too. */
  record(model: CustomerValueModel, info: { trainedAtMs?: number; metrics?: Record<string, number>; details?: unknown } = {}): void {
    this.entries.set(model.version, {
      version: model.version, kind: model.kind, model, trainedAtMs: info.trainedAtMs ?? null,
      metrics: { ...numericLeaves(info.details), ...info.metrics }, details: info.details ?? null,
    });
  }

  /** A version's details as recorded, or null when there are none (or the version is unknown). */
  async details(version: string): Promise<unknown> {
    const current = this.currentModel();
    if (current?.version === version) await this.knowCurrent(current);
    return (await this.entry(version))?.details ?? null;
  }

  /** The model that produced `version`'s scores, or null when it is not (or no longer) loadable. */
  async modelFor(version: string): Promise<CustomerValueModel | null> {
    const current = this.currentModel();
    if (current?.version === version) return current;
    return (await this.entry(version))?.model ?? null;
  }

  async list(): Promise<ModelSummary[]> {
    const current = this.currentModel();
    if (current) await this.knowCurrent(current);
    if (this.registry) for (const info of await this.registry.list()) if (!this.entries.has(info.version)) await this.entry(info.version, info);
    const champion = current?.version ?? (this.registry ? await this.registry.championVersion() : null);
    return [...this.entries.values()]
      .map((e) => this.summary(e, champion))
      .sort((a, b) => (a.status === 'champion' ? -1 : b.status === 'champion' ? 1 : 0) || (b.trainedAtMs ?? -1) - (a.trainedAtMs ?? -1) || (a.version < b.version ? 1 : -1));
  }

  async detail(version: string): Promise<ModelDetail | null> {
    const current = this.currentModel();
    if (current?.version === version) await this.knowCurrent(current);
    const e = await this.entry(version);
    if (!e) return null;
    const champion = current?.version ?? (this.registry ? await this.registry.championVersion() : null);
    const m = e.model;
    let params: Record<string, unknown> = {};
    const metrics: Record<string, number> = {};
    if (m instanceof BgNbdGammaGammaModel) {
      const json = m.metricsJson();
      params = { bgnbd: json.bgnbd.params, gamma_gamma: json.gamma_gamma.params, settings: { ...m.settings } };
      metrics['bgnbd.log_likelihood'] = json.bgnbd.log_likelihood;
      metrics['gamma_gamma.log_likelihood'] = json.gamma_gamma.log_likelihood;
    }
    return { ...this.summary(e, champion), params, thresholds: m ? { ...m.thresholds } : null, metrics: { ...metrics, ...e.metrics } };
  }

  /**
   * The model in use, as an entry: with its registry record (training time, details) when the
   * registry has it — `clv serve` loads the champion before the catalogue first lists the
   * registry — else the model alone.
   */
  private async knowCurrent(current: CustomerValueModel): Promise<void> {
    if (this.entries.has(current.version)) return;
    if (this.registry && (await this.entry(current.version)) !== null) return;
    this.record(current);
  }

  private summary(e: Entry, champion: string | null): ModelSummary {
    return {
      version: e.version,
      kind: e.kind,
      status: e.version === champion ? 'champion' : 'retired',
      trainedAtMs: e.trainedAtMs,
      periodDays: e.model?.periodDays ?? null,
      horizonDays: e.model?.horizonDays ?? null,
    };
  }

  /** The cached entry, loading it from the registry on first use; null when unknown. */
  private async entry(version: string, known?: ModelVersionInfo): Promise<Entry | null> {
    const cached = this.entries.get(version);
    if (cached || !this.registry) return cached ?? null;
    let loaded: { info: ModelVersionInfo; artifact: unknown };
    try {
      loaded = known ? { info: known, artifact: (await this.registry.load(version)).artifact } : await this.registry.load(version);
    } catch (error) {
      // The registry's "no such (or no such well-formed) version": the caller answers 404 or
      // leaves the explanation out. Anything else is a dependency failure and propagates.
      if (error instanceof ClvError && (error.code === ErrorCodes.NO_MODEL || error.code === ErrorCodes.INVALID_CONFIG)) return null;
      throw error;
    }
    const { info, artifact } = loaded;
    let model: CustomerValueModel | null = null;
    try {
      model = modelFromArtifact(version, info.kind, artifact);
    } catch {
      // Listed, with no explanation of its scores: a kind or format this build cannot load.
      model = null;
    }
    const trainedAtMs = Date.parse(info.registeredAt);
    const entry: Entry = {
      version, kind: info.kind, model, trainedAtMs: Number.isFinite(trainedAtMs) ? trainedAtMs : null, metrics: numericLeaves(info.details), details: info.details ?? null,
    };
    this.entries.set(version, entry);
    return entry;
  }
}
