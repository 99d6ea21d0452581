/**
 * Every setting of every process, from one environment: the pipeline and training settings
 * (config.ts), the REST API's (api-config.ts) and the webhook endpoints (webhook-config.ts).
 * A process loads them all at start, so a bad value anywhere stops it with a message naming
 * the variable, whichever role it was going to run.
 */
import { readFileSync } from 'node:fs';
import { loadApiConfig, type ApiConfig } from './api-config.js';
import { loadConfig, type Config } from './config.js';
import type { Env } from './env.js';
import { loadWebhookConfig, type WebhookConfig } from './webhook-config.js';

export interface Settings {
  config: Readonly<Config>;
  api: Readonly<ApiConfig>;
  /** null when CLV_WEBHOOKS_FILE is unset: the webhook bridge is off. */
  webhooks: Readonly<WebhookConfig> | null;
}

export function loadSettings(env: Env, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): Readonly<Settings> {
  return Object.freeze({ config: loadConfig(env, readFile), api: loadApiConfig(env, readFile), webhooks: loadWebhookConfig(env, readFile) });
}
