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
