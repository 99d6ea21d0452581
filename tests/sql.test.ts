import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ident, joinSql, quoteIdentifier, quoteLiteral, renderQuoted, renderWithParams, sql, SqlFragment, typed } from '../adapters/clickhouse/sql.js';
import { ClvError, ErrorCodes } from '../core/errors.js';

const refused = (e: unknown) => e instanceof ClvError && e.code === ErrorCodes.INVALID_EVENT && e.message.startsWith('sql: ');

/** Reads a ClickHouse string literal back, following ClickHouse's escape rules; throws if it is not exactly one literal. */
function unquote(literal: string): string {
  assert.equal(literal[0], "'");
  const escapes: Record<string, string> = { '\\': '\\', "'": "'", '0': '\0', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
  let out = '';
  for (let i = 1; i < literal.length; i++) {
    const c = literal[i];
    if (c === "'") {
      assert.equal(i, literal.length - 1, `literal ends early at ${i}: ${literal}`);
      return out;
    }
    if (c === '\\') {
      const e = escapes[literal[++i]];
      assert.ok(e !== undefined, `unknown escape \\${literal[i]}`);
      out += e;
    } else {
      out += c;
    }
  }
  throw new Error(`unterminated literal ${literal}`);
}

test('sql: injection attempts stay inside one string literal', () => {
  const attempts = ["'; DROP TABLE orders; --", "O'Brien", "\\'; DROP TABLE x; --", 'a\\', "''", '\u0000', "x' OR '1'='1", '{p0:String}', '`x`'];
  for (const s of attempts) {
    const q = renderQuoted(sql`SELECT * FROM t WHERE c = ${s} AND d = 1`);
    const literal = q.slice('SELECT * FROM t WHERE c = '.length, q.length - ' AND d = 1'.length);
    assert.equal(unquote(literal), s, q);
  }
  assert.equal(renderQuoted(sql`SELECT ${"'; DROP TABLE orders; --"}`), "SELECT '\\'; DROP TABLE orders; --'");
});

test('sql: every well-formed string round-trips through quoting (property)', () => {
  fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => unquote(quoteLiteral(s, 'String')) === s), { numRuns: 2000 });
  fc.assert(fc.property(fc.string({ unit: 'binary' }).filter((s) => !/[\uD800-\uDFFF]/.test(s)), (s) => unquote(quoteLiteral(s, 'String')) === s), { numRuns: 2000 });
});

test('sql: control characters are escaped, unicode is kept as is', () => {
  assert.equal(quoteLiteral('a\u0000b\nc\rd\te\bf\fg', 'String'), "'a\\0b\\nc\\rd\\te\\bf\\fg'");
  assert.equal(quoteLiteral('café ☕ 𝄞 客户', 'String'), "'café ☕ 𝄞 客户'");
  assert.throws(() => quoteLiteral('lone \uD800', 'String'), refused);
  assert.throws(() => quoteLiteral('lone \uDC00 low', 'String'), refused);
});

test('sql: numbers must be finite and exact; negatives cannot form a comment', () => {
  assert.equal(renderQuoted(sql`SELECT 1-${-5}`), 'SELECT 1-(-5)');
  assert.equal(renderQuoted(sql`SELECT ${0.25}, ${42}, ${2n ** 63n - 1n}, ${true}`), 'SELECT 0.25, 42, 9223372036854775807, 1');
  for (const bad of [NaN, Infinity, -Infinity]) assert.throws(() => sql`SELECT ${bad}`, refused, String(bad));
  assert.throws(() => sql`SELECT ${2 ** 53}`, refused, 'unsafe integer as number');
  assert.throws(() => sql`SELECT ${2n ** 63n}`, refused, 'beyond Int64');
  assert.throws(() => sql`SELECT ${typed(300, 'UInt8')}`, refused);
  assert.throws(() => sql`SELECT ${typed(-1, 'UInt32')}`, refused);
  assert.throws(() => sql`SELECT ${typed(1.5, 'Int32')}`, refused);
  assert.throws(() => sql`SELECT ${typed('5', 'Int64')}`, refused, 'a numeric string is not a number');
  assert.equal(renderQuoted(sql`SELECT ${typed(2n ** 64n - 1n, 'UInt64')}`), 'SELECT 18446744073709551615');
});

test('sql: dates and datetimes are exact, UTC, within range', () => {
  assert.equal(renderQuoted(sql`SELECT ${new Date(Date.UTC(1997, 0, 1, 12))}`), "SELECT toDateTime(852120000, 'UTC')");
  assert.equal(renderQuoted(sql`SELECT ${typed(new Date(Date.UTC(1997, 0, 1)), 'Date')}`), "SELECT toDate('1997-01-01')");
  assert.throws(() => sql`SELECT ${new Date(Date.UTC(1997, 0, 1, 12, 0, 0, 5))}`, refused, 'milliseconds');
  assert.throws(() => sql`SELECT ${typed(new Date(Date.UTC(1997, 0, 1, 12)), 'Date')}`, refused, 'time of day in a Date');
  assert.throws(() => sql`SELECT ${new Date(-1000)}`, refused, 'before 1970');
  assert.throws(() => sql`SELECT ${new Date(NaN)}`, refused, 'invalid date');
});

test('sql: arrays, nulls and what has no type', () => {
  assert.equal(renderQuoted(sql`SELECT ${['a', "b'"]}, ${[[1], [-2]]}`), "SELECT ['a', 'b\\''], [[1], [(-2)]]");
  assert.equal(renderQuoted(sql`SELECT ${typed([], 'Array(String)')}`), 'SELECT CAST([] AS Array(String))');
  assert.equal(renderQuoted(sql`SELECT ${typed(null, 'Nullable(String)')}, ${typed(['x', null], 'Array(Nullable(String))')}`), "SELECT NULL, ['x', NULL]");
  for (const bad of [[], ['a', 1], null, undefined, {}, () => 1, Symbol('s'), [NaN]]) assert.throws(() => sql`SELECT ${bad}`, refused);
  assert.throws(() => sql`SELECT ${typed(null, 'String')}`, refused);
  assert.throws(() => sql`SELECT ${typed([], 'Nullable(Array(String))')}`, refused);
  assert.throws(() => sql`SELECT ${typed('x', 'String) FROM t --')}`, refused, 'type names are checked too');
});

test('sql: a value placed inside quotes in the template is refused', () => {
  assert.throws(() => sql`SELECT * FROM t WHERE c = '${'x'}'`, refused);
  assert.throws(() => sql`SELECT \`${'x'}\``, refused);
  assert.doesNotThrow(() => sql`SELECT 'it''s', ${'x'}`);
});

test('sql: identifiers are plain names, backquoted; nothing else passes', () => {
  assert.equal(renderQuoted(sql`SELECT count() FROM ${ident('clv', 'orders')}`), 'SELECT count() FROM `clv`.`orders`');
  for (const bad of ['', 'a b', 'a;DROP TABLE x', 'a`b', '1abc', 'naïve', 'a.b', 'a-b']) assert.throws(() => quoteIdentifier(bad), refused, bad);
  assert.throws(() => sql(['DROP TABLE x'] as unknown as TemplateStringsArray), refused, 'sql() called as a function');
  assert.throws(() => new SqlFragment(Symbol('trusted sql text'), ['DROP TABLE x'], []), refused, 'raw text cannot be smuggled in as a fragment');
});

test('sql: fragments nest and join, keeping their values as values', () => {
  const where = sql`customer_id = ${"C'1"} AND amount > ${-1}`;
  const columns = joinSql(['a', 'b'].map((c) => ident(c)), ', ');
  const q = sql`SELECT ${columns} FROM ${ident('t')} WHERE ${where} LIMIT ${10}`;
  assert.equal(renderQuoted(q), "SELECT `a`, `b` FROM `t` WHERE customer_id = 'C\\'1' AND amount > (-1) LIMIT 10");
  assert.deepEqual(renderWithParams(q), {
    query: 'SELECT `a`, `b` FROM `t` WHERE customer_id = {p0:String} AND amount > {p1:Int64} LIMIT {p2:Int64}',
    params: { p0: "C'1", p1: -1, p2: 10 },
  });
});

test('sql: query parameters carry typed, pre-formatted values', () => {
  const q = sql`SELECT ${new Date(Date.UTC(2020, 0, 1))}, ${typed(new Date(Date.UTC(2020, 0, 1)), 'Date')}, ${[true, false]}, ${2n ** 63n - 1n}, ${typed(null, 'Nullable(String)')}`;
  assert.deepEqual(renderWithParams(q), {
    query: 'SELECT {p0:DateTime}, {p1:Date}, {p2:Array(UInt8)}, {p3:Int64}, {p4:Nullable(String)}',
    params: { p0: '1577836800', p1: '2020-01-01', p2: [1, 0], p3: '9223372036854775807', p4: null },
  });
});
