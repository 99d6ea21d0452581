/**
 * Sets clv_champion_trained_timestamp_seconds from the model registry: the champion's version
 * and when it was registered, which is when its training run fitted it. The version's record
 * is read only when the champion changes, so a poll every few seconds costs one small file read.
 */
import type { ModelRegistry } from '../core/ports/model-registry.js';
import { recordChampion } from './metrics-registry.js';

let reported: string | null = null;

export async function reportChampion(registry: ModelRegistry): Promise<void> {
  const version = await registry.championVersion();
  if (version === null || version === reported) return;
  const { info } = await registry.load(version);
  recordChampion(version, Date.parse(info.registeredAt));
  reported = version;
}
