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

export interface ModelRegistry {
  /** Stores a new version; refuses an existing version. */
  register(info: ModelVersionInfo, artifact: unknown): Promise<void>;
  /** Makes `version` the champion. */
  promote(version: string): Promise<void>;
  championVersion(): Promise<string | null>;
  load(version: string): Promise<{ info: ModelVersionInfo; artifact: unknown }>;
  /** Oldest first. */
  list(): Promise<ModelVersionInfo[]>;
}
