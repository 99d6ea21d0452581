/**
 * The layout version of every state the processors keep (order ledgers, purchase histories,
 * score states). Bump it when a state's shape changes: a store holding another format is
 * rebuilt by replaying the topics, never read through compatibility branches (before 1.0
 * nothing stored needs to outlive a format change).
 *
 * 2: every Redis value carries its write version (`<version>\n<json>`, adapters/redis/fenced-write.ts).
 */
export const STATE_FORMAT = 2;
