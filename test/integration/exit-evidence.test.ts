/**
 * Evidence files of exit submissions: a department asks for an upload URL (`POST /exits/evidence`), PUTs
 * the file to the local signed URL, and the submission's evidence is checked against the stored bytes
 * (`verifyEvidence`). The drop folder's watcher never takes an evidence file for an import.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DropStore } from '#shared/object-store.ts';
import { createExitsHandler } from '../../functions/exits/create-handler.ts';
import { createEvidenceVerifier, departmentFolder } from '../../functions/exits/evidence.ts';
import { createFileDropStore } from '../../local/adapters/file-drop-store.ts';
import { receiveDropUpload } from '../../local/drop-upload.ts';
import { createDropWatcher } from '../../local/drop-watcher.ts';
import { createTestTable } from '../support/dynamo.ts';
import { claims, httpEvent, testContext } from '../support/http-events.ts';

type Result = { statusCode: number; body: string };
let handler: (event: unknown, context: unknown) => Promise<Result>;
let dropDir: string;
let drop: DropStore;
const uploadKey = new Uint8Array(32).fill(7);
const MARKET = '石家庄市市场监督管理局';
const CONTENT = Buffer.from('%PDF-1.7 注销登记通知书');
const SHA = createHash('sha256').update(CONTENT).digest('hex');

async function askUpload(body: unknown, tokenClaims: Record<string, string> = claims.department(MARKET)) {
  const result = await handler(
    httpEvent({ routeKey: 'POST /exits/evidence', path: '/exits/evidence', body, claims: tokenClaims }),
    testContext,
  );
  return { status: result.statusCode, json: JSON.parse(result.body) as Record<string, string> };
}

/** PUTs bytes to a local upload URL as a client would. */
async function put(uploadUrl: string, bytes: Buffer) {
  const url = new URL(uploadUrl);
  const request = Object.assign(Readable.from([bytes]), {
    headers: { 'content-length': String(bytes.length) },
  }) as unknown as IncomingMessage;
  return receiveDropUpload(
    request,
    { pathname: url.pathname, query: url.search.slice(1) },
    { dropDir, uploadKey },
  );
}

beforeAll(async () => {
  const table = await createTestTable('exit-evidence');
  dropDir = await mkdtemp(join(tmpdir(), 'cg-evidence-'));
  drop = createFileDropStore(dropDir, { baseUrl: 'http://127.0.0.1:3000', uploadKey });
  const store = {
    client: table.documentClient,
    tableName: table.tableName,
    clock: { now: () => new Date() },
  };
  handler = createExitsHandler({
    store,
    drop: () => drop,
    verifyEvidence: createEvidenceVerifier(() => drop),
  }) as unknown as typeof handler;
});

describe('POST /exits/evidence', () => {
  it('gives a department an upload URL under its own evidence folder, and the file lands there', async () => {
    // Act
    const asked = await askUpload({ fileName: '注销登记通知书.pdf', sha256: SHA.toUpperCase() });
    // Assess
    expect(asked.status).toBe(201);
    expect(asked.json.key).toMatch(
      new RegExp(`^evidence/${departmentFolder(MARKET)}/[0-9a-f-]{36}/注销登记通知书\\.pdf$`),
    );
    expect(asked.json.sha256).toBe(SHA);
    expect(asked.json.uploadUrl).toContain('X-Local-Signature=');
    const stored = await put(asked.json.uploadUrl as string, CONTENT);
    expect(stored.statusCode).toBe(200);
    expect(existsSync(join(dropDir, ...(asked.json.key as string).split('/')))).toBe(true);
  });

  it('refuses other roles, a file name that is none, and a sha256 that is none, in Chinese', async () => {
    expect((await askUpload({ fileName: 'a.pdf', sha256: SHA }, claims.city)).status).toBe(403);
    expect((await askUpload({ fileName: 'a.pdf', sha256: SHA }, claims.district('130102'))).status).toBe(403);
    const exe = await askUpload({ fileName: '说明.exe', sha256: SHA });
    expect(exe.status).toBe(400);
    expect(exe.json.detail).toContain('证明材料只接受');
    const folder = await askUpload({ fileName: '../x.pdf', sha256: SHA });
    expect(folder.status).toBe(400);
    expect(folder.json.detail).toContain('文件夹');
    const sha = await askUpload({ fileName: 'a.pdf', sha256: 'abc' });
    expect(sha.status).toBe(400);
    expect(sha.json.detail).toContain('SHA-256');
  });
});

describe('verifyEvidence', () => {
  it('takes an uploaded file whose bytes have the SHA-256 given, and document numbers as they are', async () => {
    const asked = await askUpload({ fileName: '决定书.pdf', sha256: SHA });
    await put(asked.json.uploadUrl as string, CONTENT);
    const verify = createEvidenceVerifier(() => drop);
    expect(
      await verify({ kind: 'repair-decision', ref: asked.json.key as string, sha256: SHA }),
    ).toBeUndefined();
    expect(await verify({ kind: 'registry-record', ref: '石市监注销字〔2026〕第18号' })).toBeUndefined();
  });

  it('refuses a file not uploaded, one without a sha256, and one whose bytes differ', async () => {
    const verify = createEvidenceVerifier(() => drop);
    const asked = await askUpload({ fileName: '证明.pdf', sha256: SHA });
    const key = asked.json.key as string;
    expect(await verify({ kind: 'payment-proof', ref: key, sha256: SHA })).toContain('尚未上传');
    await put(asked.json.uploadUrl as string, Buffer.from('another file'));
    expect(await verify({ kind: 'payment-proof', ref: key })).toContain('须填写其 SHA-256');
    expect(await verify({ kind: 'payment-proof', ref: key, sha256: SHA })).toContain('与申报所填不一致');
  });
});

describe('the drop folder watcher', () => {
  it('never announces an evidence file for import', async () => {
    // Prepare
    const folder = join(
      dropDir,
      'evidence',
      departmentFolder(MARKET),
      '3f1c2a7e-8b4d-4c2a-9e1f-5a6b7c8d9e0f',
    );
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, '名单.csv'), 'uscc,name\n');
    const bodies: string[] = [];
    const watcher = createDropWatcher({
      dropDir,
      bucketName: 'local-dropbox',
      enqueue: async (body) => {
        bodies.push(body);
      },
    });
    // Act
    await watcher.pollOnce();
    await watcher.pollOnce();
    // Assess
    expect(bodies).toEqual([]);
  });
});
