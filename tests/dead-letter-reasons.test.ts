import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deadLetterReasonGroup } from '../app/demo/dead-letter-reasons.js';

test('per-event values become …, names with digits (topic versions) stay whole, nothing is cut', () => {
  assert.equal(
    deadLetterReasonGroup('CLV_UNDECODABLE', 'commerce.payments.v1: not in the Confluent wire format (no magic byte)'),
    'CLV_UNDECODABLE: commerce.payments.v1: not in the Confluent wire format (no magic byte)',
  );
  assert.equal(deadLetterReasonGroup('CLV_EVENT_FROM_FUTURE', 'event_time 2101-03-04T05:06:07.000Z is in the future'), 'CLV_EVENT_FROM_FUTURE: event_time … is in the future');
  assert.equal(deadLetterReasonGroup('CLV_INVALID_EVENT', 'amount_minor is negative (-1234); refunds carry a positive amount'), 'CLV_INVALID_EVENT: amount_minor is negative (-…); refunds carry a positive amount');
  assert.equal(
    deadLetterReasonGroup('CLV_INVALID_EVENT', 'amount_minor is negative (-17); refunds carry a positive amount'),
    deadLetterReasonGroup('CLV_INVALID_EVENT', 'amount_minor is negative (-99999); refunds carry a positive amount'),
  );
});
