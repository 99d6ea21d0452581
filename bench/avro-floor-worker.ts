/** Worker thread of AvroFloorWorker (avro-floor.ts): measures the floor of each CodecWork posted to it. */
import { parentPort } from 'node:worker_threads';
import { AvroCodec } from '../adapters/avro/avro-codec.js';
import { avroFloor, type CodecWork } from './avro-floor.js';

const codec = new AvroCodec();
parentPort?.on('message', (work: CodecWork) => parentPort?.postMessage(avroFloor(codec, work)));
