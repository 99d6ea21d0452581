/**
 * The state codecs against what the processors really write: the demo's synthetic shop (with
 * its duplicates, late and reordered events, refunds, cancellations) through the embedded
 * pipeline — calibration, a BG/NBD fit and re-score, the holdout, a decay sweep — and every
 * state of every store through its codec. A field a processor starts writing that a codec does
 * not know fails here, not in production.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { syntheticDemoHistory } from '../app/demo/demo-history.js';
import { replayMessages } from '../app/demo/replay-messages.js';
import { embeddedPipeline } from '../app/embedded.js';
import { createLogger } from '../app/logger.js';
import { loadConfig } from '../config/config.js';
import { dayIndexer, endOfDayMs } from '../core/calendar.js';
import type { StateCodec } from '../core/ports/state-store.js';
import { trainCustomerValueModel, trainingSettingsFrom } from '../models/kinds/train-customer-value-model.js';
import { sweepDecay } from '../processors/decay-sweep.js';
import { processorStateCodecs } from '../processors/state-codecs.js';
import { modelInputsAsOf } from '../training/model-inputs-as-of.js';

test('every state the processors leave after streaming a synthetic shop decodes to itself, as JSON gave it back, in under 40% of its JSON', async () => {
  const config = loadConfig({});
  const history = syntheticDemoHistory({ customers: 400, seed: 3, currency: config.currency, timeZone: config.timeZone, minorPerUnit: config.minorPerUnit });
  const { log, codec, pipeline } = embeddedPipeline(config, createLogger('silent'));
  const calibrationEndMs = endOfDayMs(history.calibrationEndDay, config.timeZone);
  const split = history.messages.findIndex((m) => m.deliveredAtMs > calibrationEndMs);
  await pipeline.start();
  await replayMessages({ log, codec, pipeline }, history.messages.slice(0, split));
  const { inputs } = await modelInputsAsOf(pipeline.stores.histories, calibrationEndMs, 7, dayIndexer(config.timeZone), config.minorPerUnit);
  pipeline.useModel(trainCustomerValueModel(inputs, trainingSettingsFrom(config, 'test')));
  await pipeline.rescoreAll(calibrationEndMs);
  await replayMessages({ log, codec, pipeline }, history.messages.slice(split));
  await sweepDecay(pipeline, endOfDayMs(history.holdoutEndDay, config.timeZone));
  await pipeline.stop();

  const seen = { refunded: 0, cancelled: 0, compacted: 0, voided: 0, swept: 0, withInterval: 0 };
  for (const name of ['ledgers', 'histories', 'scores'] as const) {
    const stateCodec = processorStateCodecs[name] as StateCodec<unknown>;
    let jsonBytes = 0;
    let compactBytes = 0;
    let states = 0;
    for await (const page of (pipeline.stores[name] as { scan(n: number): AsyncIterable<Array<[string, any]>> }).scan(1000)) {
      for (const [key, state] of page) {
        const text = stateCodec.encode(state, key);
        const json = JSON.stringify(state);
        assert.equal(JSON.stringify(stateCodec.decode(text, key)), json, `${name} ${key}`);
        assert.deepStrictEqual(stateCodec.decode(text, key), JSON.parse(json), `${name} ${key}`);
        jsonBytes += json.length;
        compactBytes += text.length;
        states++;
        if (name === 'ledgers') {
          if (state.refunded > 0) seen.refunded++;
          if (state.cancelled) seen.cancelled++;
        } else if (name === 'histories') {
          if (state.compacted !== null) seen.compacted++;
          if (state.orders.some((o: { status: string }) => o.status === 'VOIDED')) seen.voided++;
        } else {
          if (state.sweptToMs !== null) seen.swept++;
          if (state.interval !== null) seen.withInterval++;
        }
      }
    }
    assert.ok(states > 300, `${name}: ${states} states`);
    assert.ok(compactBytes < 0.4 * jsonBytes, `${name}: ${compactBytes} characters against ${jsonBytes} in JSON`);
  }
  // The shop exercised every kind of state the codecs shorten.
  assert.ok(Object.values(seen).every((n) => n > 0), JSON.stringify(seen));
});
