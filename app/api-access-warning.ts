/**
 * What `clv serve` says at start when nobody could call it: authentication is on and neither
 * an API key (CLV_API_KEYS / CLV_API_KEYS_FILE) nor a JWT secret is configured, so every
 * route but the health checks, the docs and the dashboard's page answers 401. Without this
 * the API starts silently and refuses everything.
 */
import type { ApiConfig } from '../config/api-config.js';

export function apiAccessWarning(api: Readonly<ApiConfig>): string | null {
  if (!api.authEnabled || api.apiKeys.length > 0 || api.jwt !== null) return null;
  return 'no API key configured (CLV_API_KEYS, CLV_API_KEYS_FILE or CLV_JWT_SECRET): every /v1 request will be refused with 401; ' +
    'create a key with `clv keys create --name NAME --scopes read`, add its record to CLV_API_KEYS and restart';
}
