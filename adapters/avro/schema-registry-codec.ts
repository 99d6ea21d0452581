/**
 * Avro in the Confluent wire format with ids from a Confluent-compatible schema registry
 * (Confluent Schema Registry, or Apicurio's /apis/ccompat/v7): the production EventCodec.
 *
 * Subjects follow TopicNameStrategy (`<topic>-value`). `registerAll()` must run at start-up:
 * it registers `schemas/*.avsc` under BACKWARD compatibility, so a schema change that old
 * readers cannot follow stops the service before it writes anything.
 *
 * Decoding always yields values shaped like the local schema: bytes written with another
 * registered version are read through an Avro resolver (writer → local), built once per id.
 */
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import avro from 'avsc';
import { ClvError, ErrorCodes } from '../../core/errors.js';
import { DECODE_NEEDS_IO, type EventCodec } from '../../core/ports/event-codec.js';
import { FramedAvroWriter, readBody, schemaIdOf } from './confluent-wire-format.js';
import { loadTopicSchemas } from './schema-files.js';

/** Compatibility levels of the Confluent API (Apicurio accepts the same names). */
export type Compatibility = 'BACKWARD' | 'BACKWARD_TRANSITIVE' | 'FORWARD' | 'FORWARD_TRANSITIVE' | 'FULL' | 'FULL_TRANSITIVE' | 'NONE';

export interface SchemaRegistryCodecOptions {
  /** Confluent-compatible base URL (CLV_SCHEMA_REGISTRY_URL). */
  url: string;
  /** topic → Avro schema; default the files in `schemas/`. */
  schemas?: Map<string, object>;
  /** Set on every subject before its schema is registered. */
  compatibility?: Compatibility;
}

/** How bytes with one writer schema id are read for one topic. */
type Reader = { resolver: avro.Resolver | undefined } | { error: string };

interface TopicSchema {
  subject: string;
  schema: string;
  type: avro.Type;
  id: number | undefined;
  readers: Map<number, Reader>;
}

/**
 * Encoding never waits once `registerAll()` has the ids (the local schema is the writer), and
 * decoding waits only for a writer schema id not seen before: `encodeSync` and `decodeSync`
 * (core/ports/event-codec.ts) serve the per-message paths without a promise per message.
 */
export class SchemaRegistryCodec implements EventCodec {
  readonly url: string;
  private readonly registry: SchemaRegistry;
  private readonly topics = new Map<string, TopicSchema>();
  private readonly compatibility: Compatibility;
  private readonly writer = new FramedAvroWriter();

  constructor(options: SchemaRegistryCodecOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.compatibility = options.compatibility ?? 'BACKWARD';
    this.registry = new SchemaRegistry({ host: this.url, clientId: 'clv-stream' });
    for (const [topic, schema] of options.schemas ?? loadTopicSchemas()) {
      const type = avro.Type.forSchema(schema as avro.Schema);
      this.topics.set(topic, { subject: subjectOf(topic), schema: JSON.stringify(schema), type, id: undefined, readers: new Map() });
    }
  }

  /**
   * Registers every topic's schema (idempotent: an unchanged schema keeps its id) and returns
   * topic → schema id. Rejects with INVALID_CONFIG, naming the subject and quoting the
   * registry, when a schema is incompatible with what the subject already holds.
   */
  async registerAll(): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    for (const [topic, entry] of this.topics) {
      const id = await registerSubject(this.url, entry.subject, entry.schema, this.compatibility);
      entry.id = id;
      entry.readers.set(id, { resolver: undefined });
      ids.set(topic, id);
    }
    return ids;
  }

  async encode(topic: string, value: unknown): Promise<Buffer> {
    return this.encodeSync(topic, value);
  }

  async decode(topic: string, bytes: Buffer): Promise<unknown> {
    const entry = this.schemaOf(topic);
    const id = schemaIdOf(topic, bytes);
    return this.read(topic, entry, id, entry.readers.get(id) ?? (await this.readerFor(topic, entry, id)), bytes);
  }

  /** @throws ClvError INVALID_CONFIG before registerAll(), INVALID_EVENT for a value that does not match. */
  encodeSync(topic: string, value: unknown): Buffer {
    const entry = this.schemaOf(topic);
    if (entry.id === undefined) throw new ClvError(ErrorCodes.INVALID_CONFIG, `${topic}: schema not registered; call registerAll() at start-up`);
    return this.writer.write(topic, entry.type, entry.id, value);
  }

  /** DECODE_NEEDS_IO for a writer schema id not fetched yet (`decode` fetches it). */
  decodeSync(topic: string, bytes: Buffer): unknown {
    const entry = this.schemaOf(topic);
    const id = schemaIdOf(topic, bytes);
    const reader = entry.readers.get(id);
    return reader === undefined ? DECODE_NEEDS_IO : this.read(topic, entry, id, reader, bytes);
  }

  private read(topic: string, entry: TopicSchema, id: number, reader: Reader, bytes: Buffer): unknown {
    if ('error' in reader) throw new ClvError(ErrorCodes.UNDECODABLE, reader.error);
    try {
      return readBody(entry.type, bytes, reader.resolver);
    } catch (cause) {
      throw new ClvError(ErrorCodes.UNDECODABLE, `${topic}: schema id ${id}: ${(cause as Error).message}`, { cause });
    }
  }

  /**
   * Fetches writer schema `id` (the library caches it) and builds the resolver into the local
   * schema. Unknown ids are not cached, so a schema registered later is picked up; a registry
   * that cannot be reached is a dependency failure, not a bad message.
   */
  private async readerFor(topic: string, entry: TopicSchema, id: number): Promise<Reader> {
    let writer: unknown;
    try {
      writer = await this.registry.getSchema(id);
    } catch (cause) {
      if ((cause as { status?: number }).status === 404) throw new ClvError(ErrorCodes.UNDECODABLE, `${topic}: unknown schema id ${id}`, { cause });
      throw new ClvError(ErrorCodes.DEPENDENCY_FAILED, `schema registry ${this.url}: fetching schema id ${id} failed: ${(cause as Error).message}`, { retriable: true, cause });
    }
    let reader: Reader;
    if (!(writer instanceof avro.Type)) {
      reader = { error: `${topic}: schema id ${id} is not an Avro schema` };
    } else {
      try {
        reader = { resolver: entry.type.equals(writer) ? undefined : entry.type.createResolver(writer) };
      } catch (cause) {
        reader = { error: `${topic}: schema id ${id} (${writer.name ?? writer.typeName}) cannot be read as ${entry.type.name}: ${(cause as Error).message}` };
      }
    }
    entry.readers.set(id, reader);
    return reader;
  }

  private schemaOf(topic: string): TopicSchema {
    const entry = this.topics.get(topic);
    if (!entry) throw new ClvError(ErrorCodes.INVALID_EVENT, `no schema for topic ${topic}`);
    return entry;
  }
}

/** TopicNameStrategy: the subject of a topic's message values. */
export function subjectOf(topic: string): string {
  return `${topic}-value`;
}

/**
 * Sets the subject's compatibility, then registers the schema, with plain HTTP calls: the
 * library's `register()` first reads `/config/{subject}`, which Apicurio answers with 404 for
 * a subject that does not exist yet. Compatibility goes first so that a subject created
 * earlier with a laxer level is checked too (both registries accept config for a new subject).
 */
async function registerSubject(url: string, subject: string, schema: string, compatibility: Compatibility): Promise<number> {
  const path = `${url}/subjects/${encodeURIComponent(subject)}/versions`;
  await registryCall('PUT', `${url}/config/${encodeURIComponent(subject)}`, { compatibility }, subject);
  const body = await registryCall('POST', path, { schema, schemaType: 'AVRO' }, subject);
  const id = (body as { id?: unknown }).id;
  if (typeof id !== 'number') throw new ClvError(ErrorCodes.DEPENDENCY_FAILED, `schema registry ${url}: no id in the answer for ${subject}: ${JSON.stringify(body)}`, { retriable: true });
  return id;
}

async function registryCall(method: string, url: string, body: object, subject: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json', accept: 'application/vnd.schemaregistry.v1+json, application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (cause) {
    // Node's fetch says only "fetch failed"; the socket error (ECONNREFUSED…) is its cause.
    const reason = [(cause as Error).message, ((cause as Error).cause as Error | undefined)?.message].filter(Boolean).join(': ');
    throw new ClvError(ErrorCodes.DEPENDENCY_FAILED, `schema registry not reachable at ${url} (subject ${subject}): ${reason}`, { retriable: true, cause });
  }
  const text = await response.text();
  if (response.ok) return text ? JSON.parse(text) : {};
  let message = text;
  try {
    message = (JSON.parse(text) as { message?: string }).message ?? text;
  } catch {
    // Not JSON: keep the registry's text as it is.
  }
  // 4xx: the registry refused this schema or setting (incompatible, invalid) — a config error
  // that retrying cannot fix. 5xx: the registry itself failed.
  const code = response.status < 500 ? ErrorCodes.INVALID_CONFIG : ErrorCodes.DEPENDENCY_FAILED;
  throw new ClvError(code, `schema registry refused ${method} for subject ${subject} (HTTP ${response.status}): ${message}`, { retriable: code === ErrorCodes.DEPENDENCY_FAILED });
}
