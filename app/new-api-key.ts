/**
 * `clv keys create`: a new API key, shown once, and the record `clv serve` checks it against
 * (core/api-keys.ts: a salted SHA-256 of the secret, never the key itself). Nothing is
 * stored: the operator adds the record to CLV_API_KEYS or CLV_API_KEYS_FILE and restarts
 * `clv serve`.
 */
import type { ApiConfig } from '../config/api-config.js';
import { createApiKey, formatApiKeyRecord, type ApiScope } from '../core/api-keys.js';
import { ClvError, ErrorCodes } from '../core/errors.js';

export interface NewApiKey {
  name: string;
  scopes: readonly ApiScope[];
  /** `clv_<name>_<secret>`: give it to the client; it cannot be recovered from the record. */
  key: string;
  /** `name:scopes:salt:sha256`, one entry of CLV_API_KEYS / one line of CLV_API_KEYS_FILE. */
  record: string;
}

/**
 * @throws ClvError INVALID_CONFIG when the name is malformed or already names a configured
 * key (two records of one name are refused at start-up; remove the old one to rotate).
 */
export function newApiKey(api: Readonly<ApiConfig>, name: string, scopes: readonly ApiScope[]): NewApiKey {
  if (api.apiKeys.some((r) => r.name === name)) {
    throw new ClvError(ErrorCodes.INVALID_CONFIG, `--name ${name}: a key of that name is already configured (CLV_API_KEYS / CLV_API_KEYS_FILE); choose another name, or remove its record first to replace it`);
  }
  let created: ReturnType<typeof createApiKey>;
  try {
    created = createApiKey(name, scopes);
  } catch (error) {
    throw error instanceof ClvError ? new ClvError(error.code, `--name: ${error.message}`) : error;
  }
  return { name, scopes: created.record.scopes, key: created.key, record: formatApiKeyRecord(created.record) };
}

/** What the operator reads: the key once, then where the record goes. */
export function newApiKeyText(k: NewApiKey): string {
  return [
    `API key "${k.name}" (scopes: ${k.scopes.join(', ')}). It is shown only this once and stored nowhere; give it to the client:`,
    '',
    `  ${k.key}`,
    '',
    'Add this record to CLV_API_KEYS (comma-separated records) or as a line of CLV_API_KEYS_FILE, then restart clv serve:',
    '',
    `  ${k.record}`,
    '',
    'Clients send the key in the header "Authorization: Bearer <key>".',
    '',
  ].join('\n');
}
