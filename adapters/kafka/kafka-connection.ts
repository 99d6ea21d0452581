/**
 * Where and how to reach the brokers: the host:port list plus TLS and SASL from the settings
 * (config/transport-config.ts), and their translation into kafkajs's `ssl` / `sasl` options.
 * Every Kafka client of the product is built by KafkaEventLog from one of these, so a process
 * cannot talk to the brokers without the transport its settings ask for.
 */
import type { ConnectionOptions } from 'node:tls';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import type { Config } from '../../config/config.js';
import type { KafkaTls, TransportConfig } from '../../config/transport-config.js';

export interface KafkaConnection {
  /** host:port list (CLV_KAFKA_BROKERS). */
  brokers: string[];
  /** TLS to the brokers; null or absent: plaintext. */
  tls?: KafkaTls | null;
  /** SASL authentication; null or absent: none. */
  sasl?: TransportConfig['kafkaSasl'];
}

/** The connection the settings describe: `new KafkaEventLog({ ...kafkaConnection(config), … })`. */
export function kafkaConnection(config: Pick<Config, 'kafkaBrokers' | 'kafkaTls' | 'kafkaSasl'>): KafkaConnection {
  return { brokers: config.kafkaBrokers, tls: config.kafkaTls, sasl: config.kafkaSasl };
}

/** kafkajs's `ssl` and `sasl` for a connection (nothing for plaintext without SASL). */
export function kafkajsSecurity(connection: KafkaConnection): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const { tls, sasl } = connection;
  const ssl: ConnectionOptions | undefined = tls
    ? {
        ...(tls.ca === null ? {} : { ca: [tls.ca] }),
        ...(tls.client === null ? {} : { cert: tls.client.cert, key: tls.client.privateKey }),
      }
    : undefined;
  // kafkajs's SASLOptions is a union keyed by mechanism; these three share this shape.
  const saslOptions = sasl ? ({ mechanism: sasl.mechanism, username: sasl.username, password: sasl.password } as SASLOptions) : undefined;
  return { ...(ssl ? { ssl } : {}), ...(saslOptions ? { sasl: saslOptions } : {}) };
}
