/**
 * API keys: what a key looks like, how it is stored (salted SHA-256, never the key itself)
 * and how a presented key is checked.
 *
 * A key is `clv_<name>_<secret>`: the name says which stored record to check (so a check is
 * one hash, not one per record) and shows up in logs and metrics; the secret is 32 random
 * bytes, base64url. A record is `name:scope1+scope2:salt:sha256hex`, with
 * sha256hex = SHA-256(salt bytes ‖ secret).
 *
 * Why SHA-256 and not scrypt: the secret has 256 bits of entropy, so no amount of hashing
 * makes guessing it any harder; a slow hash would only cost ~50 ms of CPU on every request.
 * (scrypt and friends exist for low-entropy human passwords.) The salt keeps two records of
 * one secret from looking alike.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ClvError, ErrorCodes } from './errors.js';

export const ApiScopes = ['read', 'ingest', 'admin', 'metrics'] as const;
/** read: GET resources; ingest: POST /v1/events; admin: retrain; metrics: GET /metrics (Prometheus). No scope implies another. */
export type ApiScope = (typeof ApiScopes)[number];

/** A stored API key: no secret in it. */
export interface ApiKeyRecord {
  /** 1–40 of [A-Za-z0-9-]; unique among records. */
  name: string;
  scopes: readonly ApiScope[];
  /** 16 random bytes, hex. */
  salt: string;
  /** SHA-256(salt bytes ‖ secret UTF-8), hex. */
  hash: string;
}

/** Who a verified key belongs to. */
export interface ApiKeyIdentity {
  name: string;
  scopes: readonly ApiScope[];
}

const NAME = /^[A-Za-z0-9-]{1,40}$/;
const HEX_SALT = /^[0-9a-f]{32}$/;
const HEX_HASH = /^[0-9a-f]{64}$/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;
const PREFIX = 'clv_';

export function isApiScope(value: string): value is ApiScope {
  return (ApiScopes as readonly string[]).includes(value);
}

function digest(saltHex: string, secret: string): Buffer {
  return createHash('sha256').update(Buffer.from(saltHex, 'hex')).update(secret, 'utf8').digest();
}

/** A new key and the record to store for it. The key is shown once and never stored. */
export function createApiKey(name: string, scopes: readonly ApiScope[], random: (n: number) => Buffer = randomBytes): { key: string; record: ApiKeyRecord } {
  if (!NAME.test(name)) throw new ClvError(ErrorCodes.INVALID_CONFIG, `API key name "${name}" must be 1–40 letters, digits or -`);
  if (scopes.length === 0) throw new ClvError(ErrorCodes.INVALID_CONFIG, `API key "${name}" needs at least one scope`);
  const secret = random(32).toString('base64url');
  const salt = random(16).toString('hex');
  return { key: `${PREFIX}${name}_${secret}`, record: { name, scopes: [...new Set(scopes)], salt, hash: digest(salt, secret).toString('hex') } };
}

/** The record as one `name:scopes:salt:hash` entry of CLV_API_KEYS. */
export function formatApiKeyRecord(r: ApiKeyRecord): string {
  return `${r.name}:${r.scopes.join('+')}:${r.salt}:${r.hash}`;
}

/**
 * Parses records separated by commas or newlines (blank lines and `#` comments skipped).
 * `source` names the setting or file in errors; errors never echo a hash.
 */
export function parseApiKeyRecords(text: string, source: string): ApiKeyRecord[] {
  const entries = text.split(/[,\n]/).map((e) => e.trim()).filter((e) => e !== '' && !e.startsWith('#'));
  const records: ApiKeyRecord[] = [];
  const seen = new Set<string>();
  entries.forEach((entry, i) => {
    const fail = (why: string): never => {
      throw new ClvError(ErrorCodes.INVALID_CONFIG, `invalid setting ${source}: entry ${i + 1}: ${why}; expected name:scope1+scope2:salt:sha256hex`);
    };
    const parts = entry.split(':');
    if (parts.length !== 4) fail(`has ${parts.length} fields, not 4`);
    const [name, scopeList, salt, hash] = parts;
    if (!NAME.test(name)) fail('the name must be 1–40 letters, digits or -');
    if (seen.has(name)) fail(`the name "${name}" is used twice`);
    const scopes = scopeList.split('+').filter((s) => s !== '');
    if (scopes.length === 0) fail(`key "${name}" has no scope`);
    for (const s of scopes) if (!isApiScope(s)) fail(`key "${name}" has unknown scope "${s}" (known: ${ApiScopes.join(', ')})`);
    if (!HEX_SALT.test(salt)) fail(`key "${name}": the salt must be 32 lowercase hex digits`);
    if (!HEX_HASH.test(hash)) fail(`key "${name}": the hash must be 64 lowercase hex digits (SHA-256)`);
    seen.add(name);
    records.push({ name, scopes: [...new Set(scopes as ApiScope[])], salt, hash });
  });
  return records;
}

/** Checks presented keys against stored records: one SHA-256 and a constant-time compare. */
export class ApiKeyVerifier {
  private readonly byName: Map<string, { identity: ApiKeyIdentity; salt: string; hash: Buffer }>;
  // Hashed when the name is unknown, so that a miss costs what a hit costs.
  private static readonly decoy = { salt: '0'.repeat(32), hash: Buffer.alloc(32) };

  constructor(records: readonly ApiKeyRecord[]) {
    this.byName = new Map(records.map((r) => [r.name, { identity: Object.freeze({ name: r.name, scopes: Object.freeze([...r.scopes]) }), salt: r.salt, hash: Buffer.from(r.hash, 'hex') }]));
  }

  get size(): number {
    return this.byName.size;
  }

  /** The key's identity, or null when the key is malformed, unknown or wrong. */
  verify(presented: string): ApiKeyIdentity | null {
    if (!presented.startsWith(PREFIX)) return null;
    const cut = presented.indexOf('_', PREFIX.length);
    if (cut < 0) return null;
    const name = presented.slice(PREFIX.length, cut);
    const secret = presented.slice(cut + 1);
    if (!SECRET.test(secret)) return null;
    const record = this.byName.get(name);
    const target = record ?? ApiKeyVerifier.decoy;
    const ok = timingSafeEqual(digest(target.salt, secret), target.hash);
    return ok && record ? record.identity : null;
  }
}
