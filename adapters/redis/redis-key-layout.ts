/**
 * How a state key becomes a Redis key, and back. Pure.
 *
 * Layout: `clv:<namespace>:{<hashTag>}<rest>`, where `<hashTag> + <rest>` is the state key
 * and `<hashTag>` is the prefix that `hashTag(key)` chooses (by default everything before
 * the first '/'). Examples with the default:
 *
 *   namespace 'histories', key 'C42'        → clv:histories:{C42}
 *   namespace 'ledgers',   key 'C42/O-7'    → clv:ledgers:{C42}/O-7
 *
 * Redis Cluster hashes only the text between the first '{' and the next '}', so every key
 * of one customer, in every namespace, lands in the same slot: a customer's ledgers, history
 * and score live on one node (and could share a MULTI or a Lua script if ever needed).
 *
 * The tag is escaped inside the braces ('%' → '%25', '}' → '%7D') so that a '}' in a
 * customer id cannot end the tag early; that keeps the mapping reversible and the slot a
 * function of the tag alone. `<rest>` is stored verbatim. An empty tag gives `{}`, which
 * Redis treats as "no tag" (the whole key is hashed): still correct, only not co-located.
 */
import { ClvError, ErrorCodes } from '../../core/errors.js';

/** Chooses the cluster hash-tag part of a state key; must return a prefix of the key. */
export type HashTagOf = (key: string) => string;

/** The default hash tag: the part before the first '/' (the customer id of `customerId/orderId`). */
export const beforeFirstSlash: HashTagOf = (key) => {
  const slash = key.indexOf('/');
  return slash < 0 ? key : key.slice(0, slash);
};

/** Namespaces are plain words: no glob characters (SCAN MATCH) and no braces or ':' (layout). */
const NAMESPACE = /^[A-Za-z0-9_.-]+$/;

export class RedisKeyLayout {
  /** `clv:<namespace>:`, the start of every key of the namespace. */
  readonly prefix: string;
  /** SCAN MATCH pattern selecting exactly this namespace. */
  readonly pattern: string;

  constructor(readonly namespace: string, private readonly hashTag: HashTagOf = beforeFirstSlash) {
    if (!NAMESPACE.test(namespace)) {
      throw new ClvError(ErrorCodes.INVALID_CONFIG, `Redis namespace ${JSON.stringify(namespace)} must match ${NAMESPACE} (letters, digits, '_', '.', '-')`);
    }
    this.prefix = `clv:${namespace}:`;
    this.pattern = `${this.prefix}*`;
  }

  /** State key → Redis key. */
  encode(key: string): string {
    const tag = this.hashTag(key);
    if (!key.startsWith(tag)) {
      throw new ClvError(ErrorCodes.INVALID_CONFIG, `hashTag(${JSON.stringify(key)}) returned ${JSON.stringify(tag)}, which is not a prefix of the key`);
    }
    return `${this.prefix}{${escapeTag(tag)}}${key.slice(tag.length)}`;
  }

  /**
   * A SCAN MATCH pattern matching at least every Redis key whose state key starts with
   * `prefix` (callers filter the decoded keys). Exact when the prefix holds its key's whole
   * hash tag (with the default tag, when it contains a '/': `C42/` → `clv:ledgers:{C42}/*`).
   */
  patternFor(prefix: string): string {
    const tag = this.hashTag(prefix);
    if (tag.length < prefix.length) return `${this.prefix}{${globEscape(escapeTag(tag))}}${globEscape(prefix.slice(tag.length))}*`;
    return `${this.prefix}{${globEscape(escapeTag(prefix))}*`;
  }

  /** Redis key (of this namespace) → state key; throws on a key this layout did not make. */
  decode(redisKey: string): string {
    const open = this.prefix.length;
    const close = redisKey.indexOf('}', open + 1);
    if (!redisKey.startsWith(this.prefix) || redisKey[open] !== '{' || close < 0) {
      throw new ClvError(ErrorCodes.DEPENDENCY_FAILED, `${JSON.stringify(redisKey)} is not a key of namespace ${this.namespace}`);
    }
    return unescapeTag(redisKey.slice(open + 1, close)) + redisKey.slice(close + 1);
  }
}

/** Backslash before the characters Redis glob patterns give a meaning to. */
function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

function escapeTag(tag: string): string {
  return tag.includes('%') || tag.includes('}') ? tag.replace(/%/g, '%25').replace(/\}/g, '%7D') : tag;
}

function unescapeTag(escaped: string): string {
  return escaped.includes('%') ? escaped.replace(/%7D|%25/g, (m) => (m === '%7D' ? '}' : '%')) : escaped;
}
