/**
 * The validator compiler of every route: TypeBox's, compiled once per schema at registration,
 * converting querystring, params and header strings to the declared types (never the body) —
 * but only strings that spell a value of that type. TypeBox's conversion alone also turns
 * `limit=true` into 1 and `limit=` into 0, so a query the OpenAPI document says is invalid
 * would be answered 200; here such a value stays a string and fails its type, naming the field.
 */
import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';

const SPELLINGS: Readonly<Record<string, RegExp>> = {
  integer: /^-?\d+$/,
  number: /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/,
  boolean: /^(true|false)$/,
};

/** Top-level properties declared integer, number or boolean, with the spelling each accepts. */
function typedProperties(schema: TSchema): Array<[name: string, type: string, spelling: RegExp]> {
  const properties = (schema as { properties?: Record<string, { type?: unknown }> }).properties ?? {};
  return Object.entries(properties).flatMap(([name, p]) =>
    typeof p.type === 'string' && p.type in SPELLINGS ? [[name, p.type, SPELLINGS[p.type]] as [string, string, RegExp]] : []);
}

/**
 * Whether `schema` is an object whose properties are all plain strings: what request strings
 * already are, so conversion would return them unchanged. Skipping it saves ~1.3 µs of
 * TypeBox's schema walk on every request of such a route (a customer id, measured with a
 * scratch loop over the compiled validator: 1.4–1.7 µs with the conversion, 0.05–0.1 without).
 */
function allStrings(schema: TSchema): boolean {
  const s = schema as { type?: unknown; properties?: Record<string, { type?: unknown }> };
  return s.type === 'object' && s.properties !== undefined && Object.values(s.properties).every((p) => p.type === 'string');
}

export const typeBoxValidatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = Compile(schema);
  const typed = httpPart === 'body' ? [] : typedProperties(schema);
  const convert = httpPart !== 'body' && !allStrings(schema);
  return (value: unknown): any => {
    for (const [name, type, spelling] of typed) {
      const raw = (value as Record<string, unknown> | null)?.[name];
      if (typeof raw === 'string' && !spelling.test(raw)) {
        const error: FastifySchemaValidationError = { keyword: 'type', instancePath: `/${name}`, schemaPath: `#/properties/${name}/type`, params: { type }, message: `must be ${type}` };
        return { error: [error] };
      }
    }
    const converted = convert ? Value.Convert(schema, value) : value;
    if (check.Check(converted)) return { value: converted };
    return { error: check.Errors(converted) as FastifySchemaValidationError[] };
  };
};
