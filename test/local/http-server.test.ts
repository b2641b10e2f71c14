import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deriveUploadKey, signUploadUrl } from '../../local/adapters/upload-url.ts';
import { loadSigningSecret, signToken } from '../../local/auth.ts';
import type { HttpApiEvent } from '../../local/http-event.ts';
import { type HttpHandler, type LocalHttpServer, startHttpServer } from '../../local/http-server.ts';
import { rawRequest } from '../support/raw-request.ts';

interface Harness {
  readonly server: LocalHttpServer;
  readonly calls: HttpApiEvent[];
  readonly dropDir: string;
  /** The path and query of a signed upload URL for `key`. */
  uploadPath(key: string): string;
  token(claims?: Partial<{ role: 'city' | 'district'; district: string }>): Promise<string>;
}

let running: LocalHttpServer | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function startHarness(answer: (event: HttpApiEvent) => unknown = () => ({ ok: true }), limits = {}) {
  const root = await mkdtemp(join(tmpdir(), 'cg-http-'));
  const secret = await loadSigningSecret(join(root, 'jwt-secret'));
  const calls: HttpApiEvent[] = [];
  const handler: HttpHandler = async (event) => {
    calls.push(event);
    return answer(event);
  };
  const dropDir = join(root, 'dropbox');
  const server = await startHttpServer({
    port: 0,
    handlers: { api: handler, exits: handler },
    jwtSecret: secret,
    dropDir,
    uploadKey: deriveUploadKey(secret),
    ...limits,
  });
  running = server;
  const harness: Harness = {
    server,
    calls,
    dropDir,
    uploadPath: (key) => {
      const url = new URL(
        signUploadUrl({
          baseUrl: server.url,
          key,
          expiresInSeconds: 60,
          uploadKey: deriveUploadKey(secret),
          now: new Date(),
        }),
      );
      return `${url.pathname}${url.search}`;
    },
    token: (claims = {}) => signToken(secret, { sub: 'test', role: 'city', ...claims }),
  };
  return harness;
}

describe('local HTTP API', () => {
  it('refuses a request without a token as the authorizer does, without calling the handler', async () => {
    // Prepare
    const harness = await startHarness();
    // Act
    const response = await rawRequest(harness.server.url, { path: '/subjects/914403001922038216' });
    const forged = await rawRequest(harness.server.url, {
      path: '/subjects/914403001922038216',
      headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiY2l0eSJ9.AAAA' },
    });
    // Assess
    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(response.body)).toEqual({
      type: 'about:blank',
      title: '未认证',
      status: 401,
      code: 'unauthorized',
      detail: expect.any(String),
    });
    expect(forged.status).toBe(401);
    expect(harness.calls).toHaveLength(0);
  });

  it('answers 404 no-route for an unknown path and 405 for a known path with another method', async () => {
    // Prepare
    const harness = await startHarness();
    // Act
    const missing = await rawRequest(harness.server.url, { path: '/nowhere' });
    const wrongMethod = await rawRequest(harness.server.url, { method: 'DELETE', path: '/health' });
    // Assess
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toMatchObject({ status: 404, code: 'no-route' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toBe('GET');
    expect(harness.calls).toHaveLength(0);
  });

  it('hands the handler the route, its path parameters, the query and the claims as strings', async () => {
    // Prepare
    const harness = await startHarness();
    const token = await harness.token({ role: 'district', district: '130102' });
    // Act
    const response = await rawRequest(harness.server.url, {
      path: '/subjects/914403001922038216?history=true&tag=a&tag=b',
      headers: { authorization: `Bearer ${token}`, cookie: 'a=1; b=2', 'x-multi': 'one' },
    });
    // Assess
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ ok: true });
    const [event] = harness.calls as [
      HttpApiEvent & { requestContext: { authorizer: { jwt: { claims: object } } } },
    ];
    expect(event.routeKey).toBe('GET /subjects/{uscc}');
    expect(event.requestContext.routeKey).toBe('GET /subjects/{uscc}');
    expect(event.pathParameters).toEqual({ uscc: '914403001922038216' });
    expect(event.rawQueryString).toBe('history=true&tag=a&tag=b');
    expect(event.queryStringParameters).toEqual({ history: 'true', tag: 'a,b' });
    expect(event.cookies).toEqual(['a=1', 'b=2']);
    expect(event.headers.cookie).toBeUndefined();
    expect(event.headers.authorization).toBe(`Bearer ${token}`);
    expect(event.requestContext.authorizer.jwt.claims).toMatchObject({
      sub: 'test',
      role: 'district',
      district: '130102',
      iss: 'credit-governance-local',
      aud: 'credit-governance',
      iat: expect.stringMatching(/^\d+$/),
    });
    expect(event.body).toBeUndefined();
    expect(event.isBase64Encoded).toBe(false);
  });

  it('calls public routes without a token and without an authorizer in the event', async () => {
    // Prepare
    const harness = await startHarness(() => ({ status: 'ok' }));
    // Act
    const response = await rawRequest(harness.server.url, { path: '/health' });
    // Assess
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(harness.calls[0]?.requestContext).not.toHaveProperty('authorizer');
    expect(harness.calls[0]).not.toHaveProperty('pathParameters');
  });

  it('passes JSON bodies as text and binary bodies as base64, and writes structured results back', async () => {
    // Prepare
    const harness = await startHarness((event) => ({
      statusCode: 201,
      headers: { 'content-type': 'application/octet-stream', 'x-count': 3 },
      cookies: ['session=1; HttpOnly', 'theme=dark'],
      body: Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8').toString('base64'),
      isBase64Encoded: true,
    }));
    const token = await harness.token();
    const headers = { authorization: `Bearer ${token}` };
    // Act
    const json = await rawRequest(harness.server.url, {
      method: 'POST',
      path: '/checks',
      headers: { ...headers, 'content-type': 'application/json' },
      body: '{"codes":["914403001922038216"]}',
    });
    const binary = await rawRequest(harness.server.url, {
      method: 'POST',
      path: '/checks',
      headers: { ...headers, 'content-type': 'application/octet-stream' },
      body: Buffer.from([0xff, 0x00, 0x41]),
    });
    // Assess
    expect(harness.calls[0]).toMatchObject({
      body: '{"codes":["914403001922038216"]}',
      isBase64Encoded: false,
    });
    expect(harness.calls[1]).toMatchObject({
      body: Buffer.from([0xff, 0x00, 0x41]).toString('base64'),
      isBase64Encoded: true,
    });
    expect(json.status).toBe(201);
    expect(json.body).toBe('{"codes":["914403001922038216"]}');
    expect(json.headers['x-count']).toBe('3');
    expect(json.headers['set-cookie']).toEqual(['session=1; HttpOnly', 'theme=dark']);
    expect(binary.status).toBe(201);
  });

  it('answers 500 like API Gateway when the handler throws, and 413 beyond the body limit', async () => {
    // Prepare
    const harness = await startHarness(
      () => {
        throw new Error('boom');
      },
      { maxBodyBytes: 1024 },
    );
    const headers = { authorization: `Bearer ${await harness.token()}`, 'content-type': 'application/json' };
    // Act
    const failed = await rawRequest(harness.server.url, {
      method: 'POST',
      path: '/checks',
      headers,
      body: '{}',
    });
    const tooLarge = await rawRequest(harness.server.url, {
      method: 'POST',
      path: '/checks',
      headers,
      body: 'x'.repeat(2048),
    });
    // Assess
    expect(failed.status).toBe(500);
    expect(JSON.parse(failed.body)).toEqual({ message: 'Internal Server Error' });
    expect(tooLarge.status).toBe(413);
    expect(harness.calls).toHaveLength(1);
  });
});

describe('local drop-folder uploads', () => {
  it('lands the file under its decoded key and answers with the MD5 ETag, leaving no temporary file', async () => {
    // Prepare
    const harness = await startHarness();
    const content = '统一社会信用代码,名称\n914403001922038216,示例公司\n';
    // Act
    const response = await rawRequest(harness.server.url, {
      method: 'PUT',
      path: harness.uploadPath('incoming/push/imp-1/名单 2022.csv'),
      body: content,
    });
    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(await readFile(join(harness.dropDir, 'incoming', 'push', 'imp-1', '名单 2022.csv'), 'utf8')).toBe(
      content,
    );
    expect(await readdir(join(harness.dropDir, '.tmp'))).toEqual([]);
  });

  it.each([
    '/_local/drop/incoming/push/../../escape.csv',
    '/_local/drop/incoming/push/%2E%2E/escape.csv',
    '/_local/drop/incoming/push/a%2F..%2F..%2Fescape.csv',
    '/_local/drop/processed/push/x.csv',
    '/_local/drop/incoming/x.csv',
  ])('rejects %s', async (path) => {
    // Prepare
    const harness = await startHarness();
    // Act
    const response = await rawRequest(harness.server.url, { method: 'PUT', path, body: 'x' });
    // Assess
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ code: 'invalid-key' });
    expect(await readdir(harness.dropDir).catch(() => [])).not.toContain('escape.csv');
  });

  it('refuses an upload beyond the limit and keeps nothing of it', async () => {
    // Prepare
    const harness = await startHarness(undefined, { maxUploadBytes: 1024 });
    // Act
    const response = await rawRequest(harness.server.url, {
      method: 'PUT',
      path: harness.uploadPath('incoming/push/imp-2/big.csv'),
      headers: { 'transfer-encoding': 'chunked' },
      body: 'x'.repeat(4096),
    }).catch((error: Error) => ({ status: 0, body: error.message }));
    // Assess
    expect([0, 413]).toContain(response.status);
    expect(await readdir(join(harness.dropDir, '.tmp'))).toEqual([]);
    expect(await readdir(join(harness.dropDir, 'incoming')).catch(() => [])).toEqual([]);
  });
});
