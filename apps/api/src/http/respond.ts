/**
 * Route handlers declared with @hono/zod-openapi must return the typed JSON responses of their
 * route. Idempotent POSTs return a `Response` whose body is either freshly serialised from the
 * same schema-typed object or the stored bytes of an earlier one (a byte-identical replay),
 * which the type system cannot see; this is the one place that says so.
 */
export function routeResponse(response: Response): never {
  return response as never;
}
