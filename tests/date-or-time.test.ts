import { test } from 'node:test';
import assert from 'node:assert/strict';
import { instantOf } from '../api/date-or-time.js';
import { ApiError } from '../api/errors.js';

const iso = (ms: number) => new Date(ms).toISOString();

test('a date is a day of the shop\'s time zone: its first millisecond as a start, its last as an end', () => {
  assert.equal(iso(instantOf('2025-06-30', 'from', 'UTC', 'start')), '2025-06-30T00:00:00.000Z');
  assert.equal(iso(instantOf('2025-06-30', 'to', 'UTC', 'end')), '2025-06-30T23:59:59.999Z');
  assert.equal(iso(instantOf('2025-06-30', 'from', 'Europe/Berlin', 'start')), '2025-06-29T22:00:00.000Z');
  assert.equal(iso(instantOf('2025-03-30', 'to', 'Europe/Berlin', 'end')), '2025-03-30T21:59:59.999Z', 'a 23-hour day');
});

test('a date-time is the instant it names, whatever the time zone', () => {
  assert.equal(iso(instantOf('2025-06-30T12:00:00Z', 'from', 'Europe/Berlin', 'start')), '2025-06-30T12:00:00.000Z');
  assert.equal(iso(instantOf('2025-06-30T12:00+02:00', 'to', 'UTC', 'end')), '2025-06-30T10:00:00.000Z');
});

test('anything else is a 400 naming the field and what is accepted', () => {
  const refused = (value: string, message: RegExp) => assert.throws(() => instantOf(value, 'to', 'UTC', 'end'),
    (e: unknown) => e instanceof ApiError && e.statusCode === 400 && message.test(e.message), value);
  refused('yesterday', /^querystring\/to must be a date \(2025-06-30\) or a date-time with its offset \(2025-06-30T12:00:00Z\), got "yesterday"$/);
  refused('2025-06-30T12:00:00', /querystring\/to must be a date/);
  refused('2025-02-30', /^querystring\/to: no such date 2025-02-30$/);
  refused('2025-02-30T00:00:00Z', /^querystring\/to: no such date 2025-02-30$/);
  refused('2025-06-30T24:30:00Z', /^querystring\/to: no such time 2025-06-30T24:30:00Z$/);
});
