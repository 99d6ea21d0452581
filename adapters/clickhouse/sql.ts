/**
 * The one audited way to put values into ClickHouse SQL.
 *
 * `sql` is a tagged template: the literal text is trusted (it is in our source code), every
 * interpolated value is not. A value is given a ClickHouse type (inferred, or explicit with
 * `typed`), checked against it, and then either quoted as a literal (ClickHouse < 19.11, which
 * has no server-side parameters) or sent as a `{name:Type}` query parameter (19.11+).
 * Anything that cannot be represented exactly is refused rather than approximated.
 * Identifiers go through `ident`, which accepts only [A-Za-z_][A-Za-z0-9_]* and backquotes.
 *
 * Literal quoting (ClickHouse string literal syntax): `\` → `\\` and `'` → `\'` first of all,
 * control characters as escapes (\0 \b \f \n \r \t), everything else as UTF-8. Negative
 * numbers are parenthesised so that `1-${-5}` cannot become the comment `1--5`.
 */
import { ClvError, ErrorCodes } from '../../core/errors.js';

export type SqlScalar = string | number | bigint | boolean | Date | null;
export type SqlValue = SqlScalar | readonly SqlValue[];

const INT_RANGES: Record<string, [bigint, bigint]> = {
  Int8: [-(2n ** 7n), 2n ** 7n - 1n], Int16: [-(2n ** 15n), 2n ** 15n - 1n], Int32: [-(2n ** 31n), 2n ** 31n - 1n], Int64: [-(2n ** 63n), 2n ** 63n - 1n],
  UInt8: [0n, 2n ** 8n - 1n], UInt16: [0n, 2n ** 16n - 1n], UInt32: [0n, 2n ** 32n - 1n], UInt64: [0n, 2n ** 64n - 1n],
};
const SCALAR_TYPES = new Set([...Object.keys(INT_RANGES), 'Float64', 'String', 'Date', 'DateTime']);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', "'": "\\'", '\0': '\\0', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A value with an explicit ClickHouse type, e.g. `typed(7, 'UInt32')`, `typed(null, 'Nullable(String)')`. */
export class TypedValue {
  constructor(readonly value: SqlValue, readonly type: string) {}
}

export function typed(value: SqlValue, type: string): TypedValue {
  return new TypedValue(value, type);
}

/** Only this module can vouch for SQL text: the token keeps `new SqlFragment(…)` out of other hands. */
const TRUSTED = Symbol('trusted sql text');

/** SQL text with holes, each hole a checked value. Only `sql`, `ident` and `joinSql` make one. */
export class SqlFragment {
  constructor(token: symbol, readonly texts: readonly string[], readonly values: readonly TypedValue[]) {
    if (token !== TRUSTED) refuse('SqlFragment is built by sql``, ident() or joinSql() only');
  }
}

const fragment = (texts: readonly string[], values: readonly TypedValue[]) => new SqlFragment(TRUSTED, texts, values);

/** Tagged template: `sql\`SELECT * FROM ${ident(db, 'orders')} WHERE customer_id = ${id}\``. */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): SqlFragment {
  // Template text is frozen with a `raw` copy; a plain array (`sql([userText])`) is not trusted text.
  if (!Object.isFrozen(strings) || !Array.isArray(strings.raw)) refuse('sql is a tagged template: write sql`…`, not sql([text])');
  const texts: string[] = [strings[0]];
  const holes: TypedValue[] = [];
  values.forEach((v, i) => {
    if (v instanceof SqlFragment) {
      // Inline a nested fragment: its text joins ours, its holes stay holes.
      texts[texts.length - 1] += v.texts[0];
      v.values.forEach((h, j) => { holes.push(h); texts.push(v.texts[j + 1]); });
      texts[texts.length - 1] += strings[i + 1];
    } else {
      // A hole inside a quoted literal or identifier of the template text (`'${v}'`) would
      // nest one literal in another: refuse the template rather than guess.
      if (insideQuotes(texts.join(''))) refuse(`value ${i + 1} is inside quotes in the template text; write ${'${v}'} without quotes`);
      const tv = v instanceof TypedValue ? v : new TypedValue(v as SqlValue, inferType(v));
      checkValue(tv.value, tv.type);
      holes.push(tv);
      texts.push(strings[i + 1]);
    }
  });
  return fragment(texts, holes);
}

/** `a`.`b`: a validated, backquoted (possibly qualified) identifier. */
export function ident(...parts: string[]): SqlFragment {
  if (parts.length === 0) refuse('an identifier needs at least one part');
  return fragment([parts.map(quoteIdentifier).join('.')], []);
}

export function quoteIdentifier(name: string): string {
  if (typeof name !== 'string' || !IDENTIFIER.test(name)) refuse(`not a plain identifier: ${JSON.stringify(name)}`);
  return '`' + name + '`';
}

/** Fragments joined by trusted text, e.g. `joinSql(columns.map(c => ident(c)), ', ')`. */
export function joinSql(fragments: readonly SqlFragment[], separator: string): SqlFragment {
  const texts = ['']; const values: TypedValue[] = [];
  fragments.forEach((f, i) => {
    texts[texts.length - 1] += (i > 0 ? separator : '') + f.texts[0];
    f.values.forEach((v, j) => { values.push(v); texts.push(f.texts[j + 1]); });
  });
  return fragment(texts, values);
}

/**
 * `statement` with every occurrence of the identifier `from` (an `ident(…)`) in its trusted
 * text replaced by the identifier `to`: the same DDL aimed at another table (the sharded
 * migrations' `<table>_local`). Backquotes delimit identifiers, so `db`.`t` never matches
 * inside `db`.`t2`.
 */
export function replaceIdentifier(statement: SqlFragment, from: SqlFragment, to: SqlFragment): SqlFragment {
  if (from.values.length > 0 || to.values.length > 0 || !/^`/.test(from.texts[0]) || !/^`/.test(to.texts[0])) refuse('replaceIdentifier takes ident(…) fragments');
  return fragment(statement.texts.map((t) => t.split(from.texts[0]).join(to.texts[0])), statement.values);
}

/** The statement with every value quoted as a literal: for servers without query parameters. */
export function renderQuoted(fragment: SqlFragment): string {
  let out = fragment.texts[0];
  fragment.values.forEach((v, i) => { out += quoteLiteral(v.value, v.type) + fragment.texts[i + 1]; });
  return out;
}

/** The statement with `{pN:Type}` placeholders, and the parameter values for the client. */
export function renderWithParams(fragment: SqlFragment): { query: string; params: Record<string, unknown> } {
  let query = fragment.texts[0];
  const params: Record<string, unknown> = {};
  fragment.values.forEach((v, i) => {
    query += `{p${i}:${v.type}}` + fragment.texts[i + 1];
    params[`p${i}`] = paramValue(v.value, v.type);
  });
  return { query, params };
}

/** A checked value as a ClickHouse literal of `type`. */
export function quoteLiteral(value: SqlValue, type: string): string {
  checkValue(value, type);
  return literal(value, type);
}

function literal(value: SqlValue, type: string): string {
  const { inner, nullable, array } = parseType(type);
  if (value === null) return 'NULL';
  if (array) {
    const items = (value as readonly SqlValue[]).map((v) => literal(v, inner));
    return items.length === 0 ? `CAST([] AS ${type})` : `[${items.join(', ')}]`;
  }
  if (nullable) return literal(value, inner);
  if (type === 'String') return "'" + (value as string).replace(/[\\'\0\b\f\n\r\t]/g, (c) => ESCAPES[c]) + "'";
  if (type === 'Date') return `toDate('${(value as Date).toISOString().slice(0, 10)}')`;
  if (type === 'DateTime') return `toDateTime(${(value as Date).getTime() / 1000}, 'UTC')`;
  const text = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
  return text.startsWith('-') ? `(${text})` : text;
}

/** Parameter text as the client expects it: scalars pre-formatted, arrays as JS arrays. */
function paramValue(value: SqlValue, type: string): unknown {
  const { inner, array } = parseType(type);
  if (value === null) return null;
  if (array) return (value as readonly SqlValue[]).map((v) => paramValue(v, inner));
  if (value instanceof Date) return type.includes('DateTime') ? String(value.getTime() / 1000) : value.toISOString().slice(0, 10);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return typeof value === 'bigint' ? value.toString() : value;
}

function insideQuotes(text: string): boolean {
  const unescaped = text.replace(/\\./g, '');
  return ["'", '`', '"'].some((q) => (unescaped.split(q).length - 1) % 2 === 1);
}

function inferType(v: unknown): string {
  if (typeof v === 'string') return 'String';
  if (typeof v === 'bigint') return 'Int64';
  if (typeof v === 'boolean') return 'UInt8';
  if (typeof v === 'number') return Number.isInteger(v) ? 'Int64' : 'Float64';
  if (v instanceof Date) return 'DateTime';
  if (Array.isArray(v)) {
    if (v.length === 0) refuse('an empty array has no type: use typed([], "Array(T)")');
    const types = new Set(v.map(inferType));
    if (types.size !== 1) refuse(`array elements of mixed types: ${[...types].join(', ')}`);
    return `Array(${[...types][0]})`;
  }
  return refuse(`cannot infer a ClickHouse type for ${v === null ? 'null (use typed(null, "Nullable(T)"))' : typeof v}`);
}

function parseType(type: string): { inner: string; nullable: boolean; array: boolean } {
  const m = /^(Array|Nullable)\((.*)\)$/.exec(type);
  if (m && m[1] === 'Nullable' && m[2].startsWith('Array(')) refuse(`${type}: ClickHouse has no nullable arrays`);
  if (m) return { inner: m[2], nullable: m[1] === 'Nullable', array: m[1] === 'Array' };
  if (!SCALAR_TYPES.has(type)) refuse(`unsupported type ${JSON.stringify(type)}`);
  return { inner: type, nullable: false, array: false };
}

/** Throws unless `value` is exactly representable as `type`. */
function checkValue(value: SqlValue, type: string): void {
  const { inner, nullable, array } = parseType(type);
  if (value === null) {
    if (!nullable) refuse(`null is not a ${type}`);
    return;
  }
  if (array) {
    if (!Array.isArray(value)) refuse(`expected an array for ${type}`);
    for (const item of value as readonly SqlValue[]) checkValue(item, inner);
    return;
  }
  if (nullable) return checkValue(value, inner);
  if (type === 'String') {
    if (typeof value !== 'string') refuse(`expected a string for String, got ${typeof value}`);
    if (LONE_SURROGATE.test(value)) refuse('string has a lone UTF-16 surrogate (not representable in UTF-8)');
  } else if (type === 'Float64') {
    if (typeof value !== 'number' || !Number.isFinite(value)) refuse(`expected a finite number for Float64, got ${String(value)}`);
  } else if (type === 'Date' || type === 'DateTime') {
    if (!(value instanceof Date) || !Number.isFinite(value.getTime())) refuse(`expected a valid Date for ${type}`);
    const ms = value.getTime();
    if (ms < 0 || ms >= 2 ** 32 * 1000) refuse(`${value.toISOString()} is outside ${type}'s range`);
    if (ms % (type === 'Date' ? 86_400_000 : 1000) !== 0) refuse(`${value.toISOString()} has finer precision than ${type}`);
  } else {
    const [min, max] = INT_RANGES[type];
    const n = typeof value === 'bigint' ? value : typeof value === 'boolean' ? BigInt(value) : Number.isSafeInteger(value) ? BigInt(value as number) : null;
    if (n === null) refuse(`expected a safe integer or bigint for ${type}, got ${String(value)}`);
    if (n < min || n > max) refuse(`${n} is outside ${type}`);
  }
}

function refuse(message: string): never {
  throw new ClvError(ErrorCodes.INVALID_EVENT, `sql: ${message}`);
}
