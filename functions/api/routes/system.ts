import * as z from 'zod';
import { type ApiRoute, defineRoute, type RawResponse } from '#shared/http/route.ts';
import { tableReachable } from '#storage/table-health.ts';
import type { ApiDeps } from '../deps.ts';

/** Long enough for a busy table, short enough that a load balancer's probe gets its answer. */
const DATABASE_PROBE_MS = 2_000;

const healthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    database: z.enum(['ok', 'unreachable']),
  })
  .describe(
    '200 with { status: "ok", database: "ok" } when the table answers; 503 with the same shape, ' +
      '{ status: "degraded", database: "unreachable" }, when it does not answer within 2 s',
  );

/**
 * Liveness and the database: a process that answers while every data call fails is not healthy. The 503
 * carries the same JSON as the 200 (not problem+json), so a monitor reads one shape.
 */
export const healthRoute = defineRoute<ApiDeps, unknown, unknown, unknown>({
  method: 'GET',
  path: '/health',
  summary: 'Liveness and database reachability (503 with status "degraded" when the table does not answer)',
  tags: ['system'],
  roles: 'public',
  response: healthSchema,
  handle: async ({ deps }) => {
    if (await tableReachable(deps.store, DATABASE_PROBE_MS)) return { status: 'ok', database: 'ok' };
    const degraded: RawResponse = {
      raw: true,
      statusCode: 503,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
      body: JSON.stringify({ status: 'degraded', database: 'unreachable' }),
    };
    return degraded;
  },
});

/** /openapi.json, generated from the routes given (so it always lists what is served). */
export function openApiRoute(document: () => unknown): ApiRoute<unknown> {
  return defineRoute<unknown, unknown, unknown, unknown>({
    method: 'GET',
    path: '/openapi.json',
    summary: 'The OpenAPI 3.1 document of this API',
    tags: ['system'],
    roles: 'public',
    response: z.object({ openapi: z.string() }).loose(),
    handle: async () => document(),
  });
}
