/**
 * The one module that reads `process.env`: everything else receives validated settings.
 * Loaded once per process, on first use.
 */
import { loadSettings, type Settings } from './settings.js';

let loaded: Readonly<Settings> | null = null;

/** The process's settings (config/settings.ts). @throws ClvError INVALID_CONFIG naming the variable. */
export function processSettings(): Readonly<Settings> {
  loaded ??= loadSettings(process.env);
  return loaded;
}

/**
 * Node's own NODE_OPTIONS, not a setting of ours: `clv serve` reads it to see whether the
 * operator already chose a V8 flag it would otherwise add.
 */
export function nodeOptions(): readonly string[] {
  return (process.env.NODE_OPTIONS ?? '').split(' ').filter((f) => f !== '');
}
