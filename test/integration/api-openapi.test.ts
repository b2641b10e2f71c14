/**
 * /openapi.json, fetched through the handler with a real HTTP API v2 event, is a valid OpenAPI 3.1
 * document by an independent validator (@seriousme/openapi-schema-validator, which also resolves every
 * `$ref`), and describes what clients meet: the Idempotency-Key header, 500 and 501 problems, CSV.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiHandler } from '../../functions/api/create-handler.ts';
import { exitsRoutes } from '../../functions/exits/routes.ts';
import { ROUTES, routeKey } from '../../functions/shared/routes.ts';
import { createTestTable } from '../support/dynamo.ts';
import { httpEvent, testContext } from '../support/http-events.ts';

type Operation = {
  parameters?: { name: string; in: string; required?: boolean; schema: Record<string, unknown> }[];
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<
    string,
    { headers?: Record<string, unknown>; content?: Record<string, { schema?: Record<string, unknown> }> }
  >;
};
type OpenApiDocument = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
};

let document: OpenApiDocument;

beforeAll(async () => {
  const table = await createTestTable('api-openapi');
  const handler = createApiHandler({
    store: { client: table.documentClient, tableName: table.tableName, clock: { now: () => new Date() } },
    drop: () => {
      throw new Error('the document needs no drop folder');
    },
    queue: () => undefined,
  }) as unknown as (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string }>;
  const result = await handler(
    httpEvent({ routeKey: 'GET /openapi.json', path: '/openapi.json' }),
    testContext,
  );
  expect(result.statusCode).toBe(200);
  document = JSON.parse(result.body) as OpenApiDocument;
});

/** Every `$ref` in the document, wherever it sits. */
function refsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsOf);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === '$ref' && typeof inner === 'string' ? [inner] : refsOf(inner),
  );
}

describe('GET /openapi.json', () => {
  it('passes an OpenAPI 3.1 validator', async () => {
    // Act
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document) as unknown as Record<string, unknown>);
    // Assess
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('refers only to schemas under components/schemas, every one of which exists', () => {
    // Act
    const refs = refsOf(document);
    // Assess
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\/components\/schemas\/[A-Za-z0-9]+$/);
      expect(document.components.schemas).toHaveProperty(ref.split('/').at(-1) ?? '');
    }
    expect(JSON.stringify(document)).not.toContain('$defs');
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining([
        'Problem',
        'SubjectDetail',
        'Subject',
        'Listing',
        'ImportReceipt',
        'ImportPage',
      ]),
    );
  });

  it('describes the Idempotency-Key header of POST /imports', () => {
    // Act
    const header = document.paths['/imports']?.post?.parameters?.find(
      (parameter) => parameter.in === 'header',
    );
    // Assess
    expect(header).toMatchObject({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      schema: { type: 'string', minLength: 1, maxLength: 200 },
    });
  });

  it('gives every operation a 500 problem, and a served route no 501', () => {
    // Prepare
    const problem = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
    // Assess
    for (const operations of Object.values(document.paths)) {
      for (const operation of Object.values(operations)) {
        expect(operation.responses['500']?.content).toEqual(problem);
      }
    }
    expect(document.paths['/evaluations/{month}/report']?.get?.responses['501']).toBeUndefined();
  });

  it('describes every field the import receipt carries, who changed it last among them', () => {
    // Prepare
    const receipt = document.components.schemas.ImportReceipt as { properties: Record<string, unknown> };
    // Assess
    expect(Object.keys(receipt.properties)).toEqual(
      expect.arrayContaining(['changedBy', 'key', 'chunksDone']),
    );
    expect(receipt.properties.changedBy).toEqual({ $ref: '#/components/schemas/ChangedBy' });
  });

  it("lists the routes of every function, the exits function's too (served, or 501 until they are)", () => {
    // Prepare
    const exitRoutes = ROUTES.filter((route) => route.function === 'exits');
    const served = new Set(exitsRoutes.map((route) => `${route.method} ${route.path}`));
    // Assess
    expect(exitRoutes.length).toBeGreaterThan(0);
    expect(served.has('POST /exits/{exitId}/confirm')).toBe(true);
    for (const route of exitRoutes) {
      const operation = document.paths[route.path]?.[route.method.toLowerCase()];
      const answer = served.has(routeKey(route)) ? ['200', '201'] : ['501'];
      const documented = answer.filter((status) => operation?.responses[status] !== undefined);
      expect(documented.length, routeKey(route)).toBe(1);
    }
  });

  it('describes the errors download as text/csv with its Content-Disposition', () => {
    // Act
    const ok = document.paths['/imports/{importId}/errors']?.get?.responses['200'];
    // Assess
    expect(ok?.content?.['text/csv']?.schema).toMatchObject({ type: 'string' });
    expect(ok?.headers).toHaveProperty('Content-Disposition');
  });
});
