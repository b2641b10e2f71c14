/**
 * The OpenAPI 3.1 document, generated from the routes' zod schemas. Every named schema (zod `.meta({ id
 * })`) and every request and response body is a component under `components/schemas`, referenced as
 * `#/components/schemas/<name>`: zod writes each schema with its own `$defs`, which mean nothing once
 * the schema sits inside an OpenAPI document, so they are hoisted and their references rewritten.
 */
import * as z from 'zod';
import { ROUTES, routeKey } from '#shared/routes.ts';
import { problemSchema } from './problem.ts';
import type { ApiRoute } from './route.ts';

type JsonSchema = Record<string, unknown>;
type Io = 'input' | 'output';

const COMPONENT_PREFIX = '#/components/schemas/';

/** Replaces every `#/$defs/<id>` reference in `value` by the component `names` gives that id. */
function rewriteRefs(value: unknown, names: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, names));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => {
      if (key === '$ref' && typeof inner === 'string' && inner.startsWith('#/$defs/')) {
        const id = inner.slice('#/$defs/'.length);
        return [key, `${COMPONENT_PREFIX}${names.get(id) ?? id}`];
      }
      return [key, rewriteRefs(inner, names)];
    }),
  );
}

/** The `components/schemas` of the document, filled as the routes' schemas are converted. */
class SchemaComponents {
  readonly schemas: Record<string, JsonSchema> = {};

  private fits(name: string, schema: JsonSchema): boolean {
    const existing = this.schemas[name];
    return existing === undefined || JSON.stringify(existing) === JSON.stringify(schema);
  }

  /**
   * Hoists the `$defs` of one conversion. A named schema reads differently as input and as output
   * (defaults, unknown keys), so an input one that differs from the output one already listed is
   * listed again as `<name>Input`.
   */
  private hoist(defs: Record<string, JsonSchema>, io: Io): Map<string, string> {
    const candidates = [(id: string) => id, ...(io === 'input' ? [(id: string) => `${id}Input`] : [])];
    for (const nameOf of candidates) {
      const names = new Map(Object.keys(defs).map((id) => [id, nameOf(id)]));
      const rewritten = Object.entries(defs).map(
        ([id, def]) => [names.get(id) ?? id, rewriteRefs(def, names) as JsonSchema] as const,
      );
      if (rewritten.every(([name, def]) => this.fits(name, def))) {
        for (const [name, def] of rewritten) this.schemas[name] = def;
        return names;
      }
    }
    throw new Error(`two different schemas carry one of the ids ${Object.keys(defs).join(', ')}`);
  }

  /** The JSON Schema of `schema`, its named parts in the components and referenced from it. */
  inline(schema: z.ZodType, io: Io): JsonSchema {
    const {
      $schema: _dialect,
      $defs,
      ...root
    } = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io,
      unrepresentable: 'any',
    }) as JsonSchema & { $defs?: Record<string, JsonSchema> };
    const names = this.hoist($defs ?? {}, io);
    return rewriteRefs(root, names) as JsonSchema;
  }

  /** A reference to `schema` as a component: its own id, or `fallbackName` when it has none. */
  reference(schema: z.ZodType, io: Io, fallbackName: string): JsonSchema {
    const json = this.inline(schema, io);
    if (typeof json.$ref === 'string' && Object.keys(json).length === 1) return json;
    if (!this.fits(fallbackName, json)) throw new Error(`two different schemas are named ${fallbackName}`);
    this.schemas[fallbackName] = json;
    return { $ref: `${COMPONENT_PREFIX}${fallbackName}` };
  }
}

/** `Idempotency-Key` for `idempotency-key`: header names as people write them (HTTP ignores case). */
function headerName(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
}

function parameters(
  components: SchemaComponents,
  schema: z.ZodType | undefined,
  location: 'path' | 'query' | 'header',
) {
  if (schema === undefined) return [];
  const json = components.inline(schema, 'input') as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name: location === 'header' ? headerName(name) : name,
    in: location,
    required: location === 'path' || (json.required ?? []).includes(name),
    schema: property,
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
  }));
}

function operationId(method: string, path: string): string {
  return `${method.toLowerCase()}${path
    .replace(/[{}]/g, '')
    .replace(/\/(\w)/g, (_, c: string) => c.toUpperCase())
    .replace(/[^A-Za-z0-9]/g, '')}`;
}

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'the request is invalid: `detail` names each field and what is wrong with it, in Chinese',
  401: 'no valid bearer token',
  403: 'this role may not do that',
  404: 'unknown, or outside the scope of the token',
  409: 'conflicts with the current state',
  500: 'unexpected server error; `detail` is generic',
  501: 'published but not served yet',
};

function problemResponses(statuses: readonly number[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      String(status),
      {
        description: PROBLEM_DESCRIPTIONS[status] ?? 'problem',
        content: { 'application/problem+json': { schema: { $ref: `${COMPONENT_PREFIX}Problem` } } },
      },
    ]),
  );
}

const CSV_CONTENT_DISPOSITION = {
  description: 'attachment; the Chinese file name as RFC 5987 `filename*`, an ASCII `filename` beside it',
  schema: { type: 'string' },
};

function successResponse(components: SchemaComponents, route: ApiRoute<never>, name: string) {
  const contentTypes = route.responseContentTypes ?? ['application/json'];
  const isCsv = (type: string) => type.startsWith('text/csv');
  return {
    description: 'success',
    ...(contentTypes.some(isCsv) ? { headers: { 'Content-Disposition': CSV_CONTENT_DISPOSITION } } : {}),
    content: Object.fromEntries(
      contentTypes.map((type) => [
        type,
        {
          schema:
            type === 'application/json'
              ? components.reference(route.response, 'output', `${name}Response`)
              : contentTypes.includes('application/json')
                ? // the response schema is the JSON one; a file beside it is just bytes
                  { type: 'string', contentMediaType: type }
                : components.inline(route.response, 'output'),
        },
      ]),
    ),
  };
}

function servedOperation(components: SchemaComponents, route: ApiRoute<never>) {
  const id = operationId(route.method, route.path);
  const name = id.charAt(0).toUpperCase() + id.slice(1);
  const errors = [...(route.errors ?? (route.roles === 'public' ? [] : [400, 401, 403])), 500];
  return {
    summary: route.summary,
    operationId: id,
    tags: route.tags ?? [],
    ...(route.roles === 'public' ? { security: [] } : { 'x-roles': route.roles }),
    parameters: [
      ...parameters(components, route.params, 'path'),
      ...parameters(components, route.query, 'query'),
      ...parameters(components, route.headers, 'header'),
    ],
    ...(route.body === undefined
      ? {}
      : {
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: components.reference(route.body, 'input', `${name}Request`) },
            },
          },
        }),
    responses: {
      [String(route.successStatus ?? 200)]: successResponse(components, route, name),
      ...problemResponses(errors),
    },
  };
}

/** A route of the published table this function does not serve yet: it answers 501. */
function notImplementedOperation(method: string, path: string, isPublic: boolean) {
  const pathParameters = [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  return {
    summary: 'Not implemented yet: answers 501',
    operationId: operationId(method, path),
    tags: ['not-implemented'],
    ...(isPublic ? { security: [] } : {}),
    parameters: pathParameters,
    responses: problemResponses(isPublic ? [501, 500] : [401, 501, 500]),
  };
}

/**
 * The document of `routes` (every function's, so one document describes the whole API), plus the
 * routes of the published table (`functions/shared/routes.ts`) no function serves yet, described as what
 * they answer: 501.
 */
export function buildOpenApiDocument(
  routes: readonly ApiRoute<never>[],
  info: { title: string; version: string },
) {
  const components = new SchemaComponents();
  components.reference(problemSchema, 'output', 'Problem');
  const paths: Record<string, Record<string, unknown>> = {};
  const add = (path: string, method: string, operation: unknown) => {
    paths[path] = { ...(paths[path] ?? {}), [method.toLowerCase()]: operation };
  };
  for (const route of routes) add(route.path, route.method, servedOperation(components, route));
  const served = new Set(routes.map((route) => `${route.method} ${route.path}`));
  for (const route of ROUTES) {
    if (served.has(routeKey(route))) continue;
    add(route.path, route.method, notImplementedOperation(route.method, route.path, route.public === true));
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      schemas: components.schemas,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
    security: [{ bearer: [] }],
  };
}
