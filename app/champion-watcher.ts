/**
 * Keeps a process scoring (or explaining) with the model registry's champion: `refresh`
 * loads it when it changed, `poll` does so every CLV_MODEL_POLL_MS. A champion whose artifact
 * cannot be loaded is logged and skipped: the model in use keeps scoring.
 */
import type { Logger } from 'pino';
import type { CustomerValueModel } from '../core/customer-value-model.js';
import type { ModelRegistry } from '../core/ports/model-registry.js';
import { loadRegisteredModel } from '../models/kinds/model-kinds.js';

export class ChampionWatcher {
  constructor(
    private readonly registry: ModelRegistry,
    /** The version in use, or null before any model. */
    private readonly current: () => string | null,
    private readonly use: (model: CustomerValueModel) => Promise<void> | void,
    private readonly logger: Logger,
    /** Called on every refresh, whether the champion changed or not (e.g. to report it as a metric). */
    private readonly onRefresh: () => Promise<void> = async () => {},
  ) {}

  /** Loads the champion when it is not the model in use; returns the champion's version. */
  async refresh(): Promise<string | null> {
    const version = await this.registry.championVersion();
    await this.onRefresh();
    if (version === null || version === this.current()) return version;
    const model = await loadRegisteredModel(this.registry, version);
    await this.use(model);
    this.logger.info({ version, kind: model.kind }, 'using champion model');
    return version;
  }

  /** Refreshes every `everyMs`; returns a stop function. */
  poll(everyMs: number): () => void {
    const timer = setInterval(() => this.refreshLogged(), everyMs);
    return () => clearInterval(timer);
  }

  /** A refresh whose failure is logged, not thrown: the model in use keeps scoring. */
  async refreshLogged(): Promise<void> {
    await this.refresh().catch((err) => this.logger.warn({ err }, 'champion not loaded; the model in use keeps scoring'));
  }
}
