/**
 * Turns event values into message bytes and back, per topic. The embedded codec and the
 * schema-registry codec both use the Confluent wire format (magic byte, schema id, Avro).
 */
export interface EventCodec {
  encode(topic: string, value: unknown): Promise<Buffer>;
  /** Throws ClvError(UNDECODABLE) when the bytes are not a valid encoding. */
  decode(topic: string, bytes: Buffer): Promise<unknown>;
}
