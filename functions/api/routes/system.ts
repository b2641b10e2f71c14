import { z } from 'zod';
import { type ApiRoute, defineRoute } from '../http.ts';

export const healthRoute = defineRoute<unknown, unknown, unknown, unknown>({
  method: 'GET',
  path: '/health',
  summary: 'Liveness',
  tags: ['system'],
  roles: 'public',
  response: z.object({ status: z.literal('ok') }),
  handle: async () => ({ status: 'ok' }),
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
