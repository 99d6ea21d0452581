/**
 * Fenced writes: every value RedisStateStore keeps carries the write version of the instance
 * that wrote it, and a Lua script refuses to replace a value whose version is newer than the
 * writer's.
 *
 * Why: several instances of one processor share a consumer group. An instance that stalls
 * (GC pause, network partition, a publish waiting out a broker restart) past the session
 * timeout loses its partitions; the new owner replays from the committed offset and saves
 * newer state. If the stalled instance ("zombie") then wakes up and finishes its batch, Kafka
 * refuses its offset commit but nothing else would stop its save, which would overwrite the
 * new owner's state with an older one — and the events in between would be lost from state
 * for good, because the new owner has committed past them. Processors write with the epoch
 * they took when assigned the partition (core/ports/partition-epochs.ts), which grows with
 * every change of ownership, so the zombie's write is refused instead.
 *
 * Equal versions may overwrite each other: one owner writes a key many times per epoch.
 * A write without a version (re-scoring, tools) keeps the version stored at the key (0 for a
 * new key): it neither fences out the owner nor is fenced out.
 *
 * Stored format: `<version as decimal digits>\n<serialized value>`. A value without that
 * header was not written by this layout (processors/state-format.ts versions it): the script
 * refuses to write over it and the reader refuses to read it.
 */
import { ClvError, ErrorCodes } from '../../core/errors.js';

/**
 * KEYS: the keys. ARGV[1]: write version (decimal integer ≤ 2^53, exact in Lua's doubles), or
 * '' to keep each key's stored version. ARGV[2]: TTL in seconds, '0' for none. ARGV[2 + i]:
 * the serialized value of KEYS[i]. Returns one integer per key: 1 written, 0 refused because
 * the stored version is newer. GETRANGE reads only the header, not the whole value.
 *
 * Many keys per call, not a call per key: on a standalone server a batch's states go as one
 * EVALSHA, where a pipeline of one per key cost the process a command object, a promise and a
 * reply per key (ioredis was ~8% of a processor's CPU on the stack bench) and Redis a command
 * dispatch each. On a Cluster the keys of one call must share a slot, so the store calls it
 * once per key there.
 */
export const FENCED_SET_LUA = `
local results = {}
for i, key in ipairs(KEYS) do
  local head = redis.call('GETRANGE', key, 0, 20)
  local stored = nil
  if head ~= '' then
    stored = string.match(head, '^(%d+)\\n')
    if not stored then
      return redis.error_reply('CLV_UNVERSIONED value at ' .. key .. ' has no write version (written by another state format?)')
    end
  end
  local version = ARGV[1]
  if version == '' then
    version = stored or '0'
  end
  if ARGV[1] ~= '' and stored and tonumber(stored) > tonumber(version) then
    results[i] = 0
  else
    local value = version .. '\\n' .. ARGV[2 + i]
    if ARGV[2] == '0' then
      redis.call('SET', key, value)
    else
      redis.call('SET', key, value, 'EX', ARGV[2])
    end
    results[i] = 1
  end
end
return results
`;

/** Prefix of the error the script returns for a value without a version (not retriable). */
export const UNVERSIONED_ERROR_PREFIX = 'CLV_UNVERSIONED';

/** 2^53 − 1 has 16 digits. */
const MAX_VERSION_DIGITS = 16;

/** A write version as the script takes it: a non-negative safe integer in decimal, '' for none (keep the stored one). */
export function writeVersionArgument(version: number | undefined): string {
  if (version === undefined) return '';
  if (!Number.isSafeInteger(version) || version < 0) {
    throw new ClvError(ErrorCodes.INVALID_CONFIG, `write version ${version}: expected a non-negative safe integer`);
  }
  return String(version);
}

/** Splits a stored fenced value into its version and the serialized value. */
export function splitVersioned(raw: string, redisKey: string): { version: number; payload: string } {
  const newline = raw.indexOf('\n');
  const header = newline > 0 && newline <= MAX_VERSION_DIGITS ? raw.slice(0, newline) : '';
  if (!/^\d+$/.test(header)) {
    throw new ClvError(ErrorCodes.DEPENDENCY_FAILED, `value at ${redisKey} has no write version (written by another state format?)`);
  }
  return { version: Number(header), payload: raw.slice(newline + 1) };
}

/** A fenced setMany found newer values at some keys and left them alone. */
export class FencedWriteError extends ClvError {
  constructor(readonly refusedKeys: readonly string[], writtenCount: number) {
    super(
      ErrorCodes.DEPENDENCY_FAILED,
      `stale write refused for ${refusedKeys.length} key(s) (${writtenCount} written): a newer write version is stored, ` +
        `so this instance has probably lost the partitions to another one; e.g. ${refusedKeys.slice(0, 3).join(', ')}`,
      // Retrying with the same write version cannot succeed: the batch is abandoned (not
      // committed) and the partition's new owner processes it.
      { retriable: false },
    );
    this.name = 'FencedWriteError';
  }
}
