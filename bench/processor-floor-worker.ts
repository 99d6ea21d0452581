/** Worker thread of ProcessorFloorWorker (processor-floor.ts): one ProcessorFloor, one request at a time. */
import { parentPort, workerData } from 'node:worker_threads';
import { loadConfig } from '../config/config.js';
import { modelFromArtifact } from '../models/kinds/model-kinds.js';
import { ProcessorFloor, type ProcessorFloorRequest } from './processor-floor.js';

const floor = new ProcessorFloor(loadConfig((workerData as { env: Record<string, string | undefined> }).env));

async function answer(request: ProcessorFloorRequest): Promise<unknown> {
  switch (request.type) {
    case 'reset':
      return floor.reset();
    case 'model':
      return floor.useModel(modelFromArtifact(`processor-floor-${request.kind}`, request.kind, request.artifact));
    case 'measure':
      return floor.measure(request.consumed);
    case 'hops':
      return floor.measureHops(request.inputs);
  }
}

parentPort?.on('message', (request: ProcessorFloorRequest) => {
  answer(request).then(
    (value) => parentPort?.postMessage({ ok: true, value }),
    (error: unknown) => parentPort?.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) }),
  );
});
