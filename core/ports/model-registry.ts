/**
 * Where trained models live: every version kept (auditable), one champion that scoring
 * uses. Artifacts are plain JSON; turning them into a model is the trainer's business.
 */
export interface ModelVersionInfo {
  version: string;
  kind: string;
  /** ISO time of registration. */
  registeredAt: string;
  /** What the model was trained on (window, customers) and how it did (holdout metrics). */
  details: Record<string, unknown>;
}

/** Why a version became champion. */
export type PromotionReason = 'training' | 'manual' | 'rollback';

/** One change of champion, kept so that a rollback knows what came before. */
export interface PromotionRecord {
  version: string;
  /** ISO time of the promotion. */
  promotedAt: string;
  reason: PromotionReason;
  /** The champion it replaced, null for the first. */
  previous: string | null;
}

export interface ModelRegistry {
  /** Stores a new version; refuses an existing version. */
  register(info: ModelVersionInfo, artifact: unknown): Promise<void>;
  /** Makes `version` the champion and records the change (default reason: manual). */
  promote(version: string, reason?: PromotionReason): Promise<void>;
  /** Every change of champion, oldest first. */
  promotions(): Promise<PromotionRecord[]>;
  championVersion(): Promise<string | null>;
  load(version: string): Promise<{ info: ModelVersionInfo; artifact: unknown }>;
  /** Oldest first. */
  list(): Promise<ModelVersionInfo[]>;
  /**
   * Keeps a named JSON document with a registered version (e.g. its revenue forecast),
   * replacing one of the same name. Names: letters, digits, - and _.
   */
  attach(version: string, name: string, document: unknown): Promise<void>;
  /** A document attached to `version`, or null when there is none. */
  attachment(version: string, name: string): Promise<unknown | null>;
}
