/** The OpenAPI 3.1 document, generated from the routes' zod schemas. */
import { z } from 'zod';
import { type ApiRoute, problemSchema } from './http.ts';

function jsonSchema(schema: z.ZodType, io: 'input' | 'output') {
  return z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' });
}

function parameters(schema: z.ZodType | undefined, location: 'path' | 'query') {
  if (schema === undefined) return [];
  const json = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || (json.required ?? []).includes(name),
    schema: property,
    ...((property as { description?: string }).description === undefined
      ? {}
      : { description: (property as { description?: string }).description }),
  }));
}

export function buildOpenApiDocument(
  routes: readonly ApiRoute<never>[],
  info: { title: string; version: string },
) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const errors = route.errors ?? (route.roles === 'public' ? [] : [400, 401, 403]);
    const operation = {
      summary: route.summary,
      operationId: `${route.method.toLowerCase()}${route.path
        .replace(/[{}]/g, '')
        .replace(/\/(\w)/g, (_, c: string) => c.toUpperCase())
        .replace(/[^A-Za-z0-9]/g, '')}`,
      tags: route.tags ?? [],
      ...(route.roles === 'public' ? { security: [] } : { 'x-roles': route.roles }),
      parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
      ...(route.body === undefined
        ? {}
        : {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
            },
          }),
      responses: {
        [String(route.successStatus ?? 200)]: {
          description: 'success',
          content: Object.fromEntries(
            (route.responseContentTypes ?? ['application/json']).map((type) => [
              type,
              type === 'application/json' ? { schema: jsonSchema(route.response, 'output') } : {},
            ]),
          ),
        },
        ...Object.fromEntries(
          errors.map((status) => [
            String(status),
            {
              description: 'problem',
              content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
            },
          ]),
        ),
      },
    };
    paths[route.path] = { ...(paths[route.path] ?? {}), [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      schemas: { Problem: jsonSchema(problemSchema, 'output') },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
    security: [{ bearer: [] }],
  };
}
