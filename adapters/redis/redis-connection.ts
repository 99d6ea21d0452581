/**
 * ioredis options for the transport the settings ask for (config/transport-config.ts): the CA
 * that signed the server's certificate for a rediss:// URL, and the ACL user and password.
 * Every Redis client of the product takes these beside the URL, so none can connect without
 * them; options win over what the URL carries (ioredis merges the URL in as defaults).
 */
import type { RedisOptions } from 'ioredis';
import type { Config } from '../../config/config.js';

export function redisConnectionOptions(config: Pick<Config, 'redisTlsCa' | 'redisCredentials'>): RedisOptions {
  const { redisTlsCa: ca, redisCredentials: credentials } = config;
  return {
    ...(ca === null ? {} : { tls: { ca: [ca] } }),
    ...(credentials === null ? {} : { ...(credentials.username === null ? {} : { username: credentials.username }), password: credentials.password }),
  };
}

/**
 * Listens to a client's connection errors (which also keeps ioredis from printing them) and
 * returns what explains a failed command: a command on a connection that never came up fails
 * with only "Connection is closed." or "Reached the max retries per request limit", while the
 * reason (a certificate no CA vouches for, a refused connection) went to the 'error' event.
 * The remembered error is forgotten once the client is ready again.
 */
export function connectionErrors(client: { on(event: 'error', listener: (error: Error) => void): unknown; on(event: 'ready', listener: () => void): unknown }): (message: string) => string {
  let last: Error | null = null;
  client.on('error', (error: Error) => (last = error));
  client.on('ready', () => (last = null));
  return (message) => (last === null || message.includes(last.message) ? message : `${message} (connection: ${last.message})`);
}
