/**
 * How a state key becomes a Redis key, and back. Pure.
 *
 * Layout: `clv:<namespace>:{<tag>}<rest>`, where a HashTagRule splits the state key into the
 * text Redis Cluster hashes (`<tag>`, the customer id) and the rest, and joins them back:
 *
 *   wholeKey      (keys that are a customer id)          'C42'                  → clv:histories:{C42}
 *   firstKeyPart  (core/composite-key.ts keys)           compositeKey('C42','O-7') → clv:ledgers:{C42}/O-7
 *                                                        compositeKey('A/B','C')   → clv:ledgers:{A/B}/C
 *                                                        compositeKey('A','B/C')   → clv:ledgers:{A}/B%2FC
 *
 * Both rules put the customer id itself between the braces, so every key of one customer, in
 * every namespace, lands in the same slot: a customer's ledgers, history and score live on one
 * node (and could share a MULTI or a Lua script if ever needed). The rest of a composite key
 * keeps its parts escaped, so keys of different customers or orders never coincide.
 *
 * The tag is escaped inside the braces ('%' → '%25', '}' → '%7D') so that a '}' in a
 * customer id cannot end the tag early; that keeps the mapping reversible and the slot a
 * function of the tag alone. An empty tag gives `{}`, which Redis treats as "no tag" (the
 * whole key is hashed): still correct, only not co-located.
 */
import { ClvError, ErrorCodes } from '../../core/errors.js';
import { escapeKeyPart, unescapeKeyPart } from '../../core/composite-key.js';

/** Splits a state key into the cluster hash tag (a customer id) and the rest; `join` undoes it. */
export interface HashTagRule {
  split(key: string): { tag: string; rest: string };
  join(tag: string, rest: string): string;
}

/** The key is a customer id: all of it is the tag. */
export const wholeKey: HashTagRule = {
  split: (key) => ({ tag: key, rest: '' }),
  join: (tag, rest) => tag + rest,
};

/** The key is a compositeKey whose first part is the customer id: that id, unescaped, is the tag. */
export const firstKeyPart: HashTagRule = {
  split(key) {
    const slash = key.indexOf('/');
    return slash < 0 ? { tag: unescapeKeyPart(key), rest: '' } : { tag: unescapeKeyPart(key.slice(0, slash)), rest: key.slice(slash) };
  },
  join: (tag, rest) => escapeKeyPart(tag) + rest,
};

/** Namespaces are plain words: no glob characters (SCAN MATCH) and no braces or ':' (layout). */
const NAMESPACE = /^[A-Za-z0-9_.-]+$/;

export class RedisKeyLayout {
  /** `clv:<namespace>:`, the start of every key of the namespace. */
  readonly prefix: string;
  /** SCAN MATCH pattern selecting exactly this namespace. */
  readonly pattern: string;

  constructor(readonly namespace: string, private readonly hashTag: HashTagRule = wholeKey) {
    if (!NAMESPACE.test(namespace)) {
      throw new ClvError(ErrorCodes.INVALID_CONFIG, `Redis namespace ${JSON.stringify(namespace)} must match ${NAMESPACE} (letters, digits, '_', '.', '-')`);
    }
    this.prefix = `clv:${namespace}:`;
    this.pattern = `${this.prefix}*`;
  }

  /** State key → Redis key. */
  encode(key: string): string {
    const { tag, rest } = this.hashTag.split(key);
    return `${this.prefix}{${escapeTag(tag)}}${rest}`;
  }

  /**
   * A SCAN MATCH pattern matching at least every Redis key whose state key starts with
   * `prefix` (callers filter the decoded keys). Exact when the prefix holds its key's whole
   * tag, i.e. the rule leaves a rest (firstKeyPart with a '/': `C42/` → `clv:ledgers:{C42}/*`);
   * otherwise the tag is left open (`C42` → `clv:histories:{C42*`, which also matches C420).
   */
  patternFor(prefix: string): string {
    const { tag, rest } = this.hashTag.split(prefix);
    if (rest !== '') return `${this.prefix}{${globEscape(escapeTag(tag))}}${globEscape(rest)}*`;
    return `${this.prefix}{${globEscape(escapeTag(tag))}*`;
  }

  /** Redis key (of this namespace) → state key; throws on a key this layout did not make. */
  decode(redisKey: string): string {
    const open = this.prefix.length;
    const close = redisKey.indexOf('}', open + 1);
    if (!redisKey.startsWith(this.prefix) || redisKey[open] !== '{' || close < 0) {
      throw new ClvError(ErrorCodes.DEPENDENCY_FAILED, `${JSON.stringify(redisKey)} is not a key of namespace ${this.namespace}`);
    }
    return this.hashTag.join(unescapeTag(redisKey.slice(open + 1, close)), redisKey.slice(close + 1));
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
