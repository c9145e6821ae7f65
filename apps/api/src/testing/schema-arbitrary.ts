import fc from 'fast-check';

/** The subset of JSON Schema (2020-12, as OpenAPI 3.1 embeds it) the route schemas use. */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

export interface ArbitraryContext {
  /** Resolves `#/components/schemas/X`. */
  resolve(ref: string): JsonSchema;
  /** Ids of existing objects, by prefix (`pay` → ['pay_…']): ids matching a pattern come from here too. */
  knownIds: Record<string, string[]>;
}

/**
 * Text that breaks naive handling: NUL, lone surrogates, quotes, SQL and path metacharacters,
 * very long runs; mixed with arbitrary code points (fast-check's `binary` unit includes lone
 * surrogate halves).
 */
export const hostileString = (maxLength = 64): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength }) },
    fc.constantFrom(
      '\u0000',
      'a\u0000b',
      '\ud800',
      'x\udfff',
      "'; drop table payments; --",
      '../..',
      '%00',
      '',
    ),
    fc.string({ unit: 'grapheme', maxLength }),
  );

/** Values that satisfy `schema` most of the time, and are plausible-but-wrong the rest. */
export function fromSchema(schema: JsonSchema, ctx: ArbitraryContext, depth = 0): fc.Arbitrary<unknown> {
  if (schema.$ref) return fromSchema(ctx.resolve(schema.$ref), ctx, depth);
  const valid = validFromSchema(schema, ctx, depth);
  if (depth > 3) return valid;
  return fc.oneof({ weight: 8, arbitrary: valid }, { weight: 1, arbitrary: wrong(depth) });
}

function wrong(depth: number): fc.Arbitrary<unknown> {
  return fc.oneof(
    hostileString(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    depth < 2 ? fc.jsonValue({ maxDepth: 2 }) : fc.constant([]),
  );
}

function validFromSchema(schema: JsonSchema, ctx: ArbitraryContext, depth: number): fc.Arbitrary<unknown> {
  if (schema.$ref) return validFromSchema(ctx.resolve(schema.$ref), ctx, depth);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => fromSchema(s, ctx, depth + 1)));
  if (schema.allOf?.length) return validFromSchema(schema.allOf[0]!, ctx, depth);
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : ['object'];
  return fc.oneof(...types.map((type) => ofType(type, schema, ctx, depth)));
}

function ofType(
  type: string,
  schema: JsonSchema,
  ctx: ArbitraryContext,
  depth: number,
): fc.Arbitrary<unknown> {
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer': {
      const min =
        schema.minimum ?? (schema.exclusiveMinimum === undefined ? undefined : schema.exclusiveMinimum + 1);
      const max =
        schema.maximum ?? (schema.exclusiveMaximum === undefined ? undefined : schema.exclusiveMaximum - 1);
      return fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: min ?? 1, max: max ?? Math.max(min ?? 1, 100_000) }) },
        fc.integer({ min: -1_000, max: 1_000 }),
        fc.constantFrom(0, -1, 2 ** 31, Number.MAX_SAFE_INTEGER, 1e20, 10.5),
      );
    }
    case 'number':
      return fc.double({ noNaN: true });
    case 'string':
      return stringFor(schema, ctx);
    case 'array': {
      const items = schema.items ? fromSchema(schema.items, ctx, depth + 1) : fc.jsonValue();
      return fc.array(items, {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 4, 4),
      });
    }
    default:
      return objectFor(schema, ctx, depth);
  }
}

function stringFor(schema: JsonSchema, ctx: ArbitraryContext): fc.Arbitrary<string> {
  const maxLength = Math.min(schema.maxLength ?? 64, 300);
  if (schema.format === 'uri') {
    return fc.oneof(
      { weight: 3, arbitrary: fc.webUrl({ validSchemes: ['https', 'http'] }) },
      fc.constantFrom(
        'https://shop.example/hooks',
        'http://127.0.0.1:3003/hooks',
        'http://[::1]/x',
        'http://169.254.169.254/latest',
        'https://u:p@shop.example/',
        'ftp://shop.example/',
        'https://shop.example/\u0000',
      ),
    );
  }
  if (schema.format === 'email') return fc.oneof(fc.emailAddress(), hostileString(40));
  if (schema.format === 'date-time') {
    return fc.oneof(
      { weight: 3, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()) },
      hostileString(30),
    );
  }
  if (schema.pattern) {
    const pattern = new RegExp(schema.pattern);
    const prefix = /^\^([a-z]+)_/.exec(schema.pattern)?.[1];
    const known = prefix ? (ctx.knownIds[prefix] ?? []) : [];
    return fc.oneof(
      ...(known.length ? [{ weight: 4, arbitrary: fc.constantFrom(...known) }] : []),
      { weight: 2, arbitrary: fc.stringMatching(pattern) },
      { weight: 1, arbitrary: hostileString(20) },
    );
  }
  return fc.oneof(
    { weight: 3, arbitrary: fc.string({ minLength: schema.minLength ?? 0, maxLength }) },
    { weight: 2, arbitrary: hostileString(maxLength) },
  );
}

function objectFor(schema: JsonSchema, ctx: ArbitraryContext, depth: number): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const model = Object.fromEntries(
    Object.entries(properties).map(([key, s]) => [key, fromSchema(s, ctx, depth + 1)]),
  );
  const known = fc.record(model, { requiredKeys: schema.required ?? [] });
  const extra =
    typeof schema.additionalProperties === 'object'
      ? fc.dictionary(hostileString(40), fromSchema(schema.additionalProperties, ctx, depth + 1), {
          maxKeys: 4,
        })
      : fc.oneof(
          { weight: 6, arbitrary: fc.constant({}) },
          fc.dictionary(hostileString(10), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 1 }),
        );
  return fc.tuple(known, extra).map(([a, b]) => ({ ...b, ...a }));
}
