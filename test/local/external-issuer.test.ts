/**
 * Where Cognito is not offered the API takes the tokens of another OpenID Connect issuer (the stack's
 * `jwtIssuer`; locally `JWT_ISSUER`, `JWT_AUDIENCE`, `JWT_JWKS_URL`). An issuer with a discovery document
 * and an RS256 key set is served here; its tokens are accepted and scoped by their `role`/`district`
 * claims through the real handlers and DynamoDB Local, and the tokens of anyone else are refused.
 */
import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveUploadKey } from '../../local/adapters/upload-url.ts';
import { loadSigningSecret, signToken } from '../../local/auth.ts';
import {
  ExternalIssuerSettingsError,
  externalIssuerFromEnv,
  externalTokenVerifier,
} from '../../local/external-issuer.ts';
import { createLocalHandlers } from '../../local/handlers.ts';
import { type LocalHttpServer, startHttpServer } from '../../local/http-server.ts';
import { localPaths } from '../../local/paths.ts';
import { createTestTable } from '../support/dynamo.ts';
import { seedListing } from '../support/exits.ts';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

interface TestIssuer {
  readonly url: string;
  readonly server: Server;
  readonly privateKey: PrivateKey;
  /** Requests per path, to see whether discovery was used. */
  readonly hits: Map<string, number>;
}

const AUDIENCE = 'credit-api';

/** An issuer: its discovery document and its key set (kid `k1`), served on loopback. */
async function startIssuer(): Promise<TestIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const hits = new Map<string, number>();
  const server = createServer((request, response) => {
    const path = request.url ?? '';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const { port } = server.address() as AddressInfo;
    const base = `http://127.0.0.1:${port}/realms/credit`;
    const documents: Record<string, unknown> = {
      '/realms/credit/.well-known/openid-configuration': { issuer: base, jwks_uri: `${base}/keys` },
      '/realms/credit/keys': { keys: [jwk] },
    };
    const document = documents[path];
    response.writeHead(document === undefined ? 404 : 200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(document ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/realms/credit`, server, privateKey, hits };
}

/** A token as the issuer signs it; `overrides` replace or remove (undefined) claims. */
async function issue(
  key: PrivateKey,
  issuer: string,
  claims: JWTPayload,
  options: { kid?: string; audience?: string | undefined } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ iat: now, exp: now + 600, ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'k1' })
    .setIssuer(issuer);
  const audience = 'audience' in options ? options.audience : AUDIENCE;
  return (audience === undefined ? jwt : jwt.setAudience(audience)).sign(key);
}

let issuer: TestIssuer;
let other: TestIssuer;
let api: LocalHttpServer;
let localSecret: Uint8Array;
let subject: string;

beforeAll(async () => {
  issuer = await startIssuer();
  other = await startIssuer();
  const table = await createTestTable('external-issuer');
  const deps = { client: table.documentClient, tableName: table.tableName, clock: { now: () => new Date() } };
  subject = (await seedListing(deps, 7101, { district: '130102' })).uscc;
  const root = await mkdtemp(join(tmpdir(), 'cg-external-issuer-'));
  localSecret = await loadSigningSecret(join(root, 'jwt-secret'));
  const paths = localPaths(root);
  const handlers = createLocalHandlers({
    paths,
    baseUrl: 'http://127.0.0.1',
    dynamoEndpoint: table.endpoint,
    uploadKey: deriveUploadKey(localSecret),
    tableName: table.tableName,
  });
  // configured from the environment, as the runtime does
  const settings = externalIssuerFromEnv({ JWT_ISSUER: issuer.url, JWT_AUDIENCE: `other-app, ${AUDIENCE}` });
  if (settings === undefined) throw new Error('JWT_ISSUER was not taken');
  api = await startHttpServer({
    port: 0,
    handlers: { api: handlers.api, exits: handlers.exits },
    jwtSecret: localSecret,
    verifyToken: externalTokenVerifier(settings),
    dropDir: paths.dropbox,
  });
});

afterAll(async () => {
  await api?.close();
  issuer?.server.close();
  other?.server.close();
});

async function getSubject(token: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${api.url}/subjects/${subject}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('the API behind an external OpenID Connect issuer', () => {
  it("accepts the issuer's token and scopes it by its role and district claims", async () => {
    // Prepare
    const own = await issue(issuer.privateKey, issuer.url, {
      sub: 'u-1',
      role: 'district',
      district: '130102',
    });
    const neighbour = await issue(issuer.privateKey, issuer.url, {
      sub: 'u-2',
      'custom:role': 'district',
      'custom:district': '130104',
    });

    // Act
    const ownAnswer = await getSubject(own);
    const neighbourAnswer = await getSubject(neighbour);

    // Assess: the district sees its subject; another district's token gets the 404 of "not yours"
    expect(ownAnswer.status).toBe(200);
    expect(ownAnswer.body).toMatchObject({ subject: { uscc: subject, district: '130102' } });
    expect(neighbourAnswer.status).toBe(404);
    expect(issuer.hits.get('/realms/credit/.well-known/openid-configuration')).toBeGreaterThan(0);
  });

  it('accepts an access token that names the client in client_id instead of aud, as API Gateway does', async () => {
    const token = await issue(
      issuer.privateKey,
      issuer.url,
      { sub: 'u-3', role: 'city', client_id: AUDIENCE },
      { audience: undefined },
    );

    expect((await getSubject(token)).status).toBe(200);
  });

  const refused: Record<string, () => Promise<string>> = {
    'a token of another issuer': () =>
      issue(other.privateKey, other.url, { sub: 'x', role: 'district', district: '130102' }),
    "another issuer's key claiming this issuer": () =>
      issue(other.privateKey, issuer.url, { sub: 'x', role: 'district', district: '130102' }),
    'a key id the set does not hold': () =>
      issue(issuer.privateKey, issuer.url, { sub: 'x', role: 'city' }, { kid: 'k2' }),
    'another audience': () =>
      issue(issuer.privateKey, issuer.url, { sub: 'x', role: 'city' }, { audience: 'mail-app' }),
    'an expired token': () =>
      issue(issuer.privateKey, issuer.url, {
        sub: 'x',
        role: 'city',
        exp: Math.floor(Date.now() / 1000) - 5,
      }),
    'a token without a role': () => issue(issuer.privateKey, issuer.url, { sub: 'x' }),
    "the local runtime's own HS256 token": () => signToken(localSecret, { sub: 'local:city', role: 'city' }),
  };
  for (const [name, token] of Object.entries(refused)) {
    it(`refuses ${name}`, async () => {
      const answer = await getSubject(await token());

      expect(answer.status).toBe(401);
    });
  }

  it('reads the key set from JWT_JWKS_URL without discovery when it is given', async () => {
    // Prepare
    const before = issuer.hits.get('/realms/credit/.well-known/openid-configuration') ?? 0;
    const settings = externalIssuerFromEnv({
      JWT_ISSUER: issuer.url,
      JWT_AUDIENCE: AUDIENCE,
      JWT_JWKS_URL: `${issuer.url}/keys`,
    });
    const verify = externalTokenVerifier(settings ?? { issuer: '', audience: [] });

    // Act
    const claims = await verify(await issue(issuer.privateKey, issuer.url, { sub: 'u-4', role: 'consumer' }));

    // Assess
    expect(claims).toMatchObject({ sub: 'u-4', role: 'consumer' });
    expect(issuer.hits.get('/realms/credit/.well-known/openid-configuration') ?? 0).toBe(before);
  });
});

describe('externalIssuerFromEnv', () => {
  it('keeps the local tokens when no issuer is named', () => {
    expect(externalIssuerFromEnv({})).toBeUndefined();
  });

  it('refuses an issuer without an audience, and a key set or audience without an issuer', () => {
    for (const env of [
      { JWT_ISSUER: 'https://idp.example.gov.cn/realms/credit' },
      { JWT_JWKS_URL: 'https://idp.example.gov.cn/keys' },
      { JWT_AUDIENCE: AUDIENCE },
      { JWT_ISSUER: 'idp.example.gov.cn', JWT_AUDIENCE: AUDIENCE },
    ]) {
      expect(() => externalIssuerFromEnv(env), JSON.stringify(env)).toThrow(ExternalIssuerSettingsError);
    }
  });
});
