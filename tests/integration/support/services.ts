/**
 * Where the integration suite finds the real services: the same env vars as production,
 * defaulting to what `npm run services:up` starts on loopback.
 */
import { loadConfig } from '../../../config/config.js';

export const services = loadConfig(process.env);

/** A name unique to this test run, for topics, subjects, key prefixes and databases. */
export function runScoped(name: string): string {
  return `${name}_${process.pid}_${Date.now().toString(36)}`;
}
