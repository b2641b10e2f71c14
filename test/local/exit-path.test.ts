/**
 * An exit from department to city through the local HTTP server, each office with a JWT signed as
 * `npm run token` signs it: the department submits, the district office finds it in its queue and
 * reviews it, the city finds it in its queue and confirms it; the listing ends, the counts move once,
 * and the subject's history shows every step with who and why.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNTER } from '#domain/counting.ts';
import { readCurrentCounters } from '#storage/counter-store.ts';
import type { StoreDeps } from '#storage/subject-store.ts';
import { deriveUploadKey } from '../../local/adapters/upload-url.ts';
import { type LocalClaims, loadSigningSecret, signToken } from '../../local/auth.ts';
import { createLocalHandlers } from '../../local/handlers.ts';
import { type LocalHttpServer, startHttpServer } from '../../local/http-server.ts';
import { localPaths } from '../../local/paths.ts';
import { expectCountersEqualRecount } from '../support/counters.ts';
import { createTestTable } from '../support/dynamo.ts';
import { COURT, exitRequest, seedListing } from '../support/exits.ts';
import { trailReader } from '../support/trail.ts';

let server: LocalHttpServer;
let secret: Uint8Array;
let deps: StoreDeps;
let table: Awaited<ReturnType<typeof createTestTable>>;

const OFFICES = {
  department: { sub: 'clerk-court', role: 'department', department: COURT },
  district: { sub: 'officer-changan', role: 'district', district: '130102' },
  city: { sub: 'officer-city', role: 'city' },
} satisfies Record<string, LocalClaims>;

async function call(office: keyof typeof OFFICES, method: string, path: string, body?: unknown) {
  const token = await signToken(secret, OFFICES[office]);
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  table = await createTestTable('exit-path', { stream: true });
  deps = { client: table.documentClient, tableName: table.tableName, clock: { now: () => new Date() } };
  const root = await mkdtemp(join(tmpdir(), 'cg-exit-path-'));
  secret = await loadSigningSecret(join(root, 'jwt-secret'));
  const paths = localPaths(root);
  const handlers = createLocalHandlers({
    paths,
    baseUrl: 'http://127.0.0.1',
    dynamoEndpoint: table.endpoint,
    uploadKey: deriveUploadKey(secret),
    tableName: table.tableName,
  });
  server = await startHttpServer({
    port: 0,
    handlers: { api: handlers.api, exits: handlers.exits },
    jwtSecret: secret,
    dropDir: paths.dropbox,
    uploadKey: deriveUploadKey(secret),
  });
});

afterAll(async () => {
  await server?.close();
});

describe('an exit through the local HTTP server, with the tokens of the three offices', () => {
  it('is submitted, reviewed and confirmed, ends the listing once and is in the history', async () => {
    // Prepare
    const seeded = await seedListing(deps, 4101);
    const before = (await readCurrentCounters(deps)).get('130102')?.[COUNTER.listedSubjects] ?? 0;
    // Act
    const submitted = await call('department', 'POST', '/exits', {
      listingId: seeded.listingId,
      ...exitRequest(),
    });
    const exitId = String(submitted.json.exitId);
    const districtQueue = await call('district', 'GET', '/exits');
    const reviewed = await call('district', 'POST', `/exits/${exitId}/review`, {
      decision: 'approve',
      comment: '材料齐全',
    });
    const cityQueue = await call('city', 'GET', '/exits');
    const confirmed = await call('city', 'POST', `/exits/${exitId}/confirm`, {
      decision: 'approve',
      comment: '同意退出',
    });
    const again = await call('city', 'POST', `/exits/${exitId}/confirm`, {
      decision: 'approve',
      comment: '再次',
    });
    const subject = await call('city', 'GET', `/subjects/${seeded.uscc}`);
    const trail = trailReader(table);
    await trail.drain();
    await trail.stop();
    const history = await call('city', 'GET', `/subjects/${seeded.uscc}`);
    // Assess
    expect(submitted.status).toBe(201);
    const queued = (queue: { json: Record<string, unknown> }) =>
      (queue.json.items as { exitId: string }[]).map((row) => row.exitId);
    expect(queued(districtQueue)).toContain(exitId);
    expect(reviewed.status).toBe(200);
    expect(queued(cityQueue)).toContain(exitId);
    expect(confirmed.status).toBe(200);
    expect(again.status).toBe(409);
    const listing = (subject.json.listings as { status: string }[])[0];
    expect(listing?.status).toBe('exited');
    const after = (await readCurrentCounters(deps)).get('130102')?.[COUNTER.listedSubjects] ?? 0;
    expect(after).toBe(before - 1);
    await expectCountersEqualRecount(deps);
    const principals = (history.json.history as { changedBy?: { principal: string } }[]).map(
      (entry) => entry.changedBy?.principal,
    );
    for (const office of Object.values(OFFICES)) expect(principals).toContain(office.sub);
  });
});
