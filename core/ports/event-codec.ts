/**
 * Turns event values into message bytes and back, per topic. The embedded codec and the
 * schema-registry codec both use the Confluent wire format (magic byte, schema id, Avro).
 */
export interface EventCodec {
  encode(topic: string, value: unknown): Promise<Buffer>;
  /** Throws ClvError(UNDECODABLE) when the bytes are not a valid encoding. */
  decode(topic: string, bytes: Buffer): Promise<unknown>;
  /**
   * Optional: `encode` without a promise, for a codec that never waits on I/O to encode (the
   * embedded AvroCodec; the schema-registry codec once its schemas are registered). Returns
   * what `encode` resolves to and throws what it rejects with. Runners use it on their
   * per-message path: awaiting a promise per message was a large share of the pipeline's cost
   * (issue 14).
   */
  encodeSync?(topic: string, value: unknown): Buffer;
  /**
   * Optional: `decode` without a promise, under the same terms as `encodeSync`, except that it
   * returns DECODE_NEEDS_IO when these bytes cannot be decoded without waiting (the
   * schema-registry codec meeting a writer schema id it has not fetched yet): then call
   * `decode`.
   */
  decodeSync?(topic: string, bytes: Buffer): unknown;
}

/** What `decodeSync` returns for bytes it cannot decode without waiting on I/O. */
export const DECODE_NEEDS_IO: unique symbol = Symbol('decode needs I/O');

