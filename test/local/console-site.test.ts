/**
 * The console on the local HTTP server (local/console-site.ts): its built files with their cache headers,
 * config.json, and the local sign-in's `POST /local/token`, which signs a token the API accepts for each
 * role, and exists only on loopback (listening and addressed), for JSON, with a district for a district
 * office. Paths that climb out of the console's folder are refused.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { deriveUploadKey } from '../../local/adapters/upload-url.ts';
import { loadSigningSecret, verifyToken } from '../../local/auth.ts';
import { consoleAnswer } from '../../local/console-site.ts';
import type { HttpApiEvent } from '../../local/http-event.ts';
import { type HttpHandler, type LocalHttpServer, startHttpServer } from '../../local/http-server.ts';
import { type RawAnswer, rawRequest } from '../support/raw-request.ts';

const INDEX_HTML = '<!doctype html><html lang="zh-CN"><body><div id="app"></div></body></html>';
const ENTRY_JS = 'console.log("入口");';

interface Site {
  readonly server: LocalHttpServer;
  readonly secret: Uint8Array;
  readonly calls: HttpApiEvent[];
}

let running: LocalHttpServer | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

/** A server over a console folder of our own, a secret file beside it that must never be served. */
async function startSite(): Promise<Site> {
  const root = await mkdtemp(join(tmpdir(), 'cg-console-site-'));
  const dist = join(root, 'dist');
  await mkdir(join(dist, 'assets'), { recursive: true });
  await writeFile(join(dist, 'index.html'), INDEX_HTML);
  await writeFile(join(dist, 'assets', 'index-AbC123.js'), ENTRY_JS);
  await writeFile(join(dist, 'assets', 'index-AbC123.css'), 'body{margin:0}');
  await writeFile(join(root, 'secret.txt'), 'not for the browser');
  const secret = await loadSigningSecret(join(root, 'jwt-secret'));
  const calls: HttpApiEvent[] = [];
  const handler: HttpHandler = async (event) => {
    calls.push(event);
    return { statusCode: 200, body: '{}' };
  };
  const server = await startHttpServer({
    port: 0,
    handlers: { api: handler, exits: handler },
    jwtSecret: secret,
    dropDir: join(root, 'dropbox'),
    uploadKey: deriveUploadKey(secret),
    consoleDir: dist,
  });
  running = server;
  return { server, secret, calls };
}

/** The claims the server's authorizer placed in the event, where API Gateway's JWT authorizer puts them. */
function jwtClaims(event: HttpApiEvent): Record<string, unknown> | undefined {
  const context = event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } };
  return context.authorizer?.jwt?.claims;
}

function postToken(url: string, body: unknown, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return rawRequest(url, {
    method: 'POST',
    path: '/local/token',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe('the console on the local server', () => {
  it('serves index.html afresh each time and the hashed assets for a year', async () => {
    // Prepare
    const { server } = await startSite();
    // Act
    const root = await rawRequest(server.url, { path: '/' });
    const index = await rawRequest(server.url, { path: '/index.html' });
    const script = await rawRequest(server.url, { path: '/assets/index-AbC123.js' });
    const style = await rawRequest(server.url, { path: '/assets/index-AbC123.css' });
    const missing = await rawRequest(server.url, { path: '/assets/index-gone.js' });
    // Assess
    for (const page of [root, index]) {
      expect(page.status).toBe(200);
      expect(page.body).toBe(INDEX_HTML);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(page.headers['x-frame-options']).toBe('DENY');
      expect(page.headers['x-content-type-options']).toBe('nosniff');
    }
    expect(script.status).toBe(200);
    expect(script.body).toBe(ENTRY_JS);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(missing.status).toBe(404);
  });

  it('answers 404, not 500, for an asset path whose percent-escapes do not decode', async () => {
    const { server } = await startSite();
    const answer = await rawRequest(server.url, { path: '/assets/%E0%A4%A' });
    expect(answer.status).toBe(404);
  });

  it('tells the console it runs locally, with the API on the same origin', async () => {
    // Prepare
    const { server } = await startSite();
    // Act
    const config = await rawRequest(server.url, { path: '/config.json' });
    // Assess
    expect(config.status).toBe(200);
    expect(config.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(config.body)).toEqual({ mode: 'local', apiBase: '' });
  });

  it('refuses paths that climb out of the console folder, however they are written', async () => {
    // Prepare
    const { server } = await startSite();
    const climbs = [
      '/assets/../../secret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2E%2E%5C%2E%2E%5Csecret.txt',
    ];
    // Act
    const answers = await Promise.all(climbs.map((path) => rawRequest(server.url, { path })));
    // Assess
    for (const [index, answer] of answers.entries()) {
      expect(answer.status, climbs[index]).toBeGreaterThanOrEqual(400);
      expect(answer.status, climbs[index]).toBeLessThan(500);
      expect(answer.body, climbs[index]).not.toContain('not for the browser');
    }
  });

  it('signs a token the API accepts for each role, with the claims the sign-in page picked', async () => {
    // Prepare
    const { server, secret, calls } = await startSite();
    const picks = [
      { role: 'city' },
      { role: 'district', district: '130102' },
      { role: 'department', department: ' 长安区人民法院 ' },
      { role: 'department', department: '长安区人民法院', district: '130104' },
      { role: 'consumer' },
    ];
    // Act
    const answers = await Promise.all(picks.map((pick) => postToken(server.url, pick)));
    const tokens = answers.map((answer) => (JSON.parse(answer.body) as { token: string }).token);
    const used = [];
    for (const token of tokens) {
      used.push(
        await rawRequest(server.url, { path: '/imports', headers: { authorization: `Bearer ${token}` } }),
      );
    }
    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers[0]?.headers['cache-control']).toBe('no-store');
    expect(used.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    const claims = await Promise.all(tokens.map((token) => verifyToken(secret, token)));
    expect(claims.map(({ role, district, department }) => ({ role, district, department }))).toEqual([
      { role: 'city', district: undefined, department: undefined },
      { role: 'district', district: '130102', department: undefined },
      { role: 'department', district: undefined, department: '长安区人民法院' },
      { role: 'department', district: '130104', department: '长安区人民法院' },
      { role: 'consumer', district: undefined, department: undefined },
    ]);
    // what the API's handler received is what the authorizer put there
    const claimsSeen = calls.map((call) => jwtClaims(call));
    expect(claimsSeen.map((seen) => seen?.role)).toEqual([
      'city',
      'district',
      'department',
      'department',
      'consumer',
    ]);
    expect(claimsSeen[1]?.district).toBe('130102');
  });

  it('has no token route for a request addressed to a name that is not loopback', async () => {
    // Prepare: a page on another name that resolves here (DNS rebinding) sends its Host
    const { server } = await startSite();
    // Act
    const rebound = await postToken(server.url, { role: 'city' }, { host: `evil.example:${server.port}` });
    const lan = await postToken(server.url, { role: 'city' }, { host: `192.168.1.20:${server.port}` });
    const named = await postToken(server.url, { role: 'city' }, { host: `localhost:${server.port}` });
    // Assess
    expect(rebound.status).toBe(404);
    expect(rebound.body).not.toContain('"token":');
    expect(lan.status).toBe(404);
    expect(named.status).toBe(200);
  });

  it('has no token route when the server listens on an address that is not loopback', async () => {
    // Prepare: the request as it would arrive on 0.0.0.0 addressed by loopback name
    const secret = await loadSigningSecret(join(await mkdtemp(join(tmpdir(), 'cg-console-site-')), 's'));
    const incoming = Object.assign(Readable.from([Buffer.from(JSON.stringify({ role: 'city' }))]), {
      headers: { host: '127.0.0.1:3000', 'content-type': 'application/json' },
    }) as unknown as IncomingMessage;
    const onLoopback = Object.assign(Readable.from([Buffer.from(JSON.stringify({ role: 'city' }))]), {
      headers: { host: '127.0.0.1:3000', 'content-type': 'application/json' },
    }) as unknown as IncomingMessage;
    // Act
    const open = await consoleAnswer(incoming, 'POST', '/local/token', {
      listenHost: '0.0.0.0',
      jwtSecret: secret,
    });
    const loopback = await consoleAnswer(onLoopback, 'POST', '/local/token', {
      listenHost: '127.0.0.1',
      jwtSecret: secret,
    });
    // Assess
    expect(open.statusCode).toBe(404);
    expect(loopback.statusCode).toBe(200);
  });

  it('takes only JSON, and a district office only with its district', async () => {
    // Prepare
    const { server } = await startSite();
    // Act
    const form = await rawRequest(server.url, {
      method: 'POST',
      path: '/local/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'role=city',
    });
    const noDistrict = await postToken(server.url, { role: 'district' });
    const badDistrict = await postToken(server.url, { role: 'district', district: '长安区' });
    const noDepartment = await postToken(server.url, { role: 'department', department: ' ' });
    const unknownRole = await postToken(server.url, { role: 'admin' });
    const get = await rawRequest(server.url, { path: '/local/token' });
    // Assess
    expect(form.status).toBe(415);
    expect(JSON.parse(form.body).code).toBe('unsupported-media-type');
    for (const refused of [noDistrict, badDistrict, noDepartment, unknownRole]) {
      expect(refused.status).toBe(400);
      expect(refused.headers['content-type']).toBe('application/problem+json');
      expect(JSON.parse(refused.body).detail).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(JSON.parse(noDistrict.body).detail).toContain('县（市、区）');
    expect(get.status).toBe(405);
  });
});
