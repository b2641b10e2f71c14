/**
 * The local server at the edge, where API Gateway acts before the handler: how it decodes and routes a
 * path, and which tokens its JWT authorizer lets through.
 */
import { mkdtemp } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { scopeFromClaims } from '#shared/auth.ts';
import { loadSigningSecret, signToken, TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../local/auth.ts';
import type { HttpApiEvent } from '../../local/http-event.ts';
import { type LocalHttpServer, startHttpServer } from '../../local/http-server.ts';

let running: LocalHttpServer | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

/** A server whose handler records the event and answers with the scope the claims give. */
async function startServer() {
  const root = await mkdtemp(join(tmpdir(), 'cg-edge-'));
  const secret = await loadSigningSecret(join(root, 'jwt-secret'));
  const calls: HttpApiEvent[] = [];
  const handler = async (event: HttpApiEvent) => {
    calls.push(event);
    const claims = (event.requestContext as { authorizer?: { jwt: { claims: Record<string, string> } } })
      .authorizer?.jwt.claims;
    return { scope: claims === undefined ? null : scopeFromClaims(claims) };
  };
  // A variable, not a literal: the upload key arrives with signed upload URLs, beside this change.
  const options = {
    port: 0,
    handlers: { api: handler, exits: handler },
    jwtSecret: secret,
    dropDir: join(root, 'dropbox'),
    uploadKey: new Uint8Array(32),
  };
  running = await startHttpServer(options);
  return { url: running.url, secret, calls };
}

/** A raw request, so the path reaches the server exactly as written. */
function get(
  url: string,
  path: string,
  token?: string,
): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = token === undefined ? {} : { authorization: `Bearer ${token}` };
    const req = request(`${url}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type']),
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** A token with exactly these claims besides issuer, audience and the given times. */
function tokenWith(
  secret: Uint8Array,
  claims: Record<string, unknown>,
  times: { iat: number; exp: number; nbf?: number },
): Promise<string> {
  const jwt = new SignJWT({ ...claims, ...(times.nbf === undefined ? {} : { nbf: times.nbf }) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt(times.iat)
    .setExpirationTime(times.exp);
  return jwt.sign(secret);
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('paths at the edge', () => {
  it('answers 400 problem+json in Chinese to a path whose percent-encoding does not decode', async () => {
    // Prepare
    const server = await startServer();
    const token = await signToken(server.secret, { sub: 'test', role: 'city' });
    // Act
    const truncated = await get(server.url, '/subjects/%E0%A4%A', token);
    const notHex = await get(server.url, '/subjects/%zz', token);
    const anonymous = await get(server.url, '/subjects/%E0%A4%A');
    // Assess
    expect(truncated.status).toBe(400);
    expect(truncated.type).toBe('application/problem+json');
    expect(JSON.parse(truncated.body)).toMatchObject({ status: 400, code: 'malformed-path' });
    expect(JSON.parse(truncated.body).detail).toMatch(/[\u4e00-\u9fff]/);
    expect(notHex.status).toBe(400);
    expect(anonymous.status).toBe(400);
    expect(server.calls).toHaveLength(0);
  });

  it('routes %2F as a separator like API Gateway, and hands the handler the decoded path', async () => {
    // Prepare
    const server = await startServer();
    const token = await signToken(server.secret, { sub: 'test', role: 'city' });
    const fullWidth = '９１４４０３００１９２２０３８２１６';
    // Act
    const slashed = await get(server.url, '/subjects/914403001922038216%2Fhistory', token);
    const encoded = await get(server.url, `/subjects/${encodeURIComponent(fullWidth)}`, token);
    // Assess
    expect(slashed.status).toBe(404);
    expect(encoded.status).toBe(200);
    expect(server.calls).toHaveLength(1);
    expect(server.calls[0]?.rawPath).toBe(`/subjects/${fullWidth}`);
    expect(server.calls[0]?.requestContext.http.path).toBe(`/subjects/${fullWidth}`);
    expect(server.calls[0]?.pathParameters).toEqual({ uscc: fullWidth });
  });
});

describe('tokens at the edge', () => {
  it('accepts a token that carries only Cognito-style custom: claims, and the handler reads its scope', async () => {
    // Prepare
    const server = await startServer();
    const now = nowSeconds();
    const token = await tokenWith(
      server.secret,
      {
        sub: '8e2b7c1a-4d6f-4a3b-9c5e-1f2a3b4c5d6e',
        'custom:role': 'department',
        'custom:department': '市税务局',
        'custom:district': '130102',
        'cognito:groups': ['departments'],
      },
      { iat: now, exp: now + 3600 },
    );
    // Act
    const response = await get(server.url, '/subjects/914403001922038216', token);
    // Assess
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body).scope).toEqual({
      role: 'department',
      principal: '8e2b7c1a-4d6f-4a3b-9c5e-1f2a3b4c5d6e',
      department: '市税务局',
      district: '130102',
    });
  });

  it('refuses with 401 a token issued, or valid only, beyond a minute in the future', async () => {
    // Prepare
    const server = await startServer();
    const now = nowSeconds();
    const claims = { sub: 'early', role: 'city' };
    const issuedLater = await tokenWith(server.secret, claims, { iat: now + 600, exp: now + 4200 });
    const validLater = await tokenWith(server.secret, claims, { iat: now, nbf: now + 600, exp: now + 4200 });
    const slightlyAhead = await tokenWith(server.secret, claims, {
      iat: now + 30,
      nbf: now + 30,
      exp: now + 3600,
    });
    // Act
    const responses = await Promise.all(
      [issuedLater, validLater, slightlyAhead].map((token) => get(server.url, '/imports', token)),
    );
    // Assess: the issuer's clock may run a little ahead of ours
    expect(responses.map((response) => response.status)).toEqual([401, 401, 200]);
    expect(server.calls).toHaveLength(1);
  });
});
