/**
 * Avro in the Confluent wire format (adapters/avro/confluent-wire-format.ts) with the schemas
 * of `schemas/` and locally assigned ids: the embedded pipeline's bytes look like the ones on
 * a real broker, and the same poison-message handling applies to both.
 */
import avro from 'avsc';
import { ClvError, ErrorCodes } from '../../core/errors.js';
import type { EventCodec } from '../../core/ports/event-codec.js';
import { FramedAvroWriter, readBody, schemaIdOf } from './confluent-wire-format.js';
import { loadTopicSchemas } from './schema-files.js';

export class AvroCodec implements EventCodec {
  private readonly byTopic = new Map<string, { id: number; type: avro.Type }>();
  private readonly writer = new FramedAvroWriter();

  constructor(schemas: Map<string, object> = loadTopicSchemas()) {
    let id = 1;
    for (const [topic, schema] of schemas) this.byTopic.set(topic, { id: id++, type: avro.Type.forSchema(schema as avro.Schema) });
  }

  async encode(topic: string, value: unknown): Promise<Buffer> {
    return this.encodeSync(topic, value);
  }

  async decode(topic: string, bytes: Buffer): Promise<unknown> {
    return this.decodeSync(topic, bytes);
  }

  encodeSync(topic: string, value: unknown): Buffer {
    const { id, type } = this.schemaOf(topic);
    return this.writer.write(topic, type, id, value);
  }

  decodeSync(topic: string, bytes: Buffer): unknown {
    const { id, type } = this.schemaOf(topic);
    const found = schemaIdOf(topic, bytes);
    if (found !== id) throw new ClvError(ErrorCodes.UNDECODABLE, `${topic}: unknown schema id ${found}`);
    try {
      return readBody(type, bytes);
    } catch (cause) {
      throw new ClvError(ErrorCodes.UNDECODABLE, `${topic}: ${(cause as Error).message}`, { cause });
    }
  }

  private schemaOf(topic: string) {
    const entry = this.byTopic.get(topic);
    if (!entry) throw new ClvError(ErrorCodes.INVALID_EVENT, `no schema for topic ${topic}`);
    return entry;
  }
}
