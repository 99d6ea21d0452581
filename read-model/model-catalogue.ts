/**
 * The models the read model knows: the pipeline's current champion, versions recorded in
 * process (`record`, e.g. right after training in embedded mode), and — when given — every
 * version in the model registry (production: the directory `clv train` writes). Model
 * objects are cached by version (artifacts never change), so customers scored by an older
 * version can still be explained.
 *
 * The current champion is known before anything else (`clv serve` loads it from the
 * registry at start); what is known of it then — the model alone — is only a placeholder
 * until its registry record (training time, holdout metrics) is read, which replaces it.
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
  /** The current model with nothing else known yet: replaced by its registry record when there is one. */
  placeholder?: true;
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

  /** A version's details as recorded (the champion's from its registry record once read), or null when there are none. */
  async details(version: string): Promise<unknown> {
    const current = this.currentModel();
    let e = await this.entry(version);
    if (!e && current?.version === version) e = this.placeholder(current);
    return e?.details ?? null;
  }

  /** The model that produced `version`'s scores, or null when it is not (or no longer) loadable. */
  async modelFor(version: string): Promise<CustomerValueModel | null> {
    const current = this.currentModel();
    if (current?.version === version) return current;
    return (await this.entry(version))?.model ?? null;
  }

  async list(): Promise<ModelSummary[]> {
    const current = this.currentModel();
    if (this.registry) for (const info of await this.registry.list()) if (this.entries.get(info.version)?.placeholder ?? true) await this.entry(info.version, info);
    if (current && !this.entries.has(current.version)) this.placeholder(current);
    const champion = current?.version ?? (this.registry ? await this.registry.championVersion() : null);
    return [...this.entries.values()]
      .map((e) => this.summary(e, champion))
      .sort((a, b) => (a.status === 'champion' ? -1 : b.status === 'champion' ? 1 : 0) || (b.trainedAtMs ?? -1) - (a.trainedAtMs ?? -1) || (a.version < b.version ? 1 : -1));
  }

  async detail(version: string): Promise<ModelDetail | null> {
    const current = this.currentModel();
    let e = await this.entry(version);
    if (!e && current?.version === version) e = this.placeholder(current);
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

  private placeholder(model: CustomerValueModel): Entry {
    const entry: Entry = { version: model.version, kind: model.kind, model, trainedAtMs: null, metrics: {}, details: null, placeholder: true };
    this.entries.set(model.version, entry);
    return entry;
  }

  /** The cached entry, loading it from the registry on first use (or over a placeholder); null when unknown. */
  private async entry(version: string, known?: ModelVersionInfo): Promise<Entry | null> {
    const cached = this.entries.get(version);
    if ((cached && !cached.placeholder) || !this.registry) return cached ?? null;
    let loaded: { info: ModelVersionInfo; artifact: unknown };
    try {
      loaded = known ? { info: known, artifact: (await this.registry.load(version)).artifact } : await this.registry.load(version);
    } catch (error) {
      // The registry's "no such (or no such well-formed) version": the caller answers 404 or
      // leaves the explanation out. Anything else is a dependency failure and propagates.
      if (error instanceof ClvError && (error.code === ErrorCodes.NO_MODEL || error.code === ErrorCodes.INVALID_CONFIG)) return cached ?? null;
      throw error;
    }
    const { info, artifact } = loaded;
    // The model in use (a placeholder's) is kept as the object it is; others come from their artifact.
    const model = cached?.model ?? loadable(version, info.kind, artifact);
    const trainedAtMs = Date.parse(info.registeredAt);
    const entry: Entry = {
      version, kind: info.kind, model, trainedAtMs: Number.isFinite(trainedAtMs) ? trainedAtMs : null, metrics: numericLeaves(info.details), details: info.details ?? null,
    };
    this.entries.set(version, entry);
    return entry;
  }
}

/** The model of an artifact, or null for a kind or format this build cannot load (listed, with no explanation of its scores). */
function loadable(version: string, kind: string, artifact: unknown): CustomerValueModel | null {
  try {
    return modelFromArtifact(version, kind, artifact);
  } catch {
    return null;
  }
}
