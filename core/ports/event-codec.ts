/**
 * Turns event values into message bytes and back, per topic. The embedded codec and the
 * schema-registry codec both use the Confluent wire format (magic byte, schema id, Avro).
 */
export interface EventCodec {
  encode(topic: string, value: unknown): Promise<Buffer>;
  /** Throws ClvError(UNDECODABLE) when the bytes are not a valid encoding. */
  decode(topic: string, bytes: Buffer): Promise<unknown>;
  /**
   * Optional: `encode` without a promise, for a codec that never waits on I/O (the embedded
   * AvroCodec). Returns what `encode` resolves to and throws what it rejects with. Runners use
   * it on their per-message path: awaiting a promise per message was a large share of the
   * embedded pipeline's cost (issue 14).
   */
  encodeSync?(topic: string, value: unknown): Buffer;
  /** Optional: `decode` without a promise, under the same terms as `encodeSync`. */
  decodeSync?(topic: string, bytes: Buffer): unknown;
}
