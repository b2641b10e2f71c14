/**
 * The local upload URL is signed like a presigned S3 URL: `POST /imports` (through the local composition
 * root and server) hands out a URL for one key — source, import, file — with an expiry and an HMAC; the
 * server takes a PUT only at that key, before that expiry, with that signature, and answers 403 with a
 * Chinese problem otherwise. The valid upload lands and the import proceeds.
 */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileDropStore } from '../../local/adapters/file-drop-store.ts';
import { deriveUploadKey } from '../../local/adapters/upload-url.ts';
import { loadSigningSecret, signToken } from '../../local/auth.ts';
import { createDropWatcher } from '../../local/drop-watcher.ts';
import { freePort } from '../../local/dynamodb-local.ts';
import { createLocalHandlers, type LocalHandlers } from '../../local/handlers.ts';
import { type LocalHttpServer, startHttpServer } from '../../local/http-server.ts';
import { lambdaContext } from '../../local/lambda-context.ts';
import { ensureLocalFolders, type LocalPaths, localPaths } from '../../local/paths.ts';
import { sqsEvent } from '../../local/sqs-event.ts';
import { createTestTable } from '../support/dynamo.ts';
import { makeUscc, utf8Csv } from '../support/files.ts';

interface Created {
  readonly importId: string;
  readonly uploadUrl: string;
  readonly key: string;
}

let server: LocalHttpServer;
let handlers: LocalHandlers;
let paths: LocalPaths;
let uploadKey: Uint8Array;
let token: string;

beforeAll(async () => {
  const table = await createTestTable('signed-upload');
  paths = localPaths(await mkdtemp(join(tmpdir(), 'cg-upload-')));
  await ensureLocalFolders(paths);
  const secret = await loadSigningSecret(paths.jwtSecretFile);
  uploadKey = deriveUploadKey(secret);
  const port = await freePort();
  handlers = createLocalHandlers({
    paths,
    baseUrl: `http://127.0.0.1:${port}`,
    dynamoEndpoint: table.endpoint,
    tableName: table.tableName,
    uploadKey,
  });
  server = await startHttpServer({
    port,
    handlers: { api: handlers.api, exits: handlers.exits },
    jwtSecret: secret,
    dropDir: paths.dropbox,
    uploadKey,
  });
  token = await signToken(secret, { sub: 'city-officer', role: 'city' });
});

afterAll(async () => {
  await server?.close();
});

async function createImport(source: string, fileName: string): Promise<Created> {
  const response = await fetch(`${server.url}/imports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ source, fileName }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as Created;
}

async function put(url: string, body: string | Buffer = 'x') {
  const response = await fetch(url, { method: 'PUT', body });
  const text = await response.text();
  return {
    status: response.status,
    etag: response.headers.get('etag'),
    problem: text ? JSON.parse(text) : {},
  };
}

/** The upload URL of `key` carrying another URL's query (its expiry and signature). */
function withQueryOf(signed: string, key: string): string {
  const path = key.split('/').map(encodeURIComponent).join('/');
  return `${server.url}/_local/drop/${path}${new URL(signed).search}`;
}

const landed = (key: string) => existsSync(join(paths.dropbox, ...key.split('/')));

describe('signed local upload URLs', () => {
  it('refuses a PUT without a signature, in Chinese, and keeps nothing', async () => {
    // Prepare
    const created = await createImport('push', '名单 2022.csv');
    const unsigned = created.uploadUrl.slice(0, created.uploadUrl.indexOf('?'));
    // Act
    const response = await put(unsigned);
    // Assess
    expect(response.status).toBe(403);
    expect(response.problem).toMatchObject({ status: 403, code: 'upload-url-unsigned' });
    expect(response.problem.detail).toMatch(/[\u4e00-\u9fff]/);
    expect(landed(created.key)).toBe(false);
  });

  it('refuses a signature replayed to another import, source or file, or with its expiry moved', async () => {
    // Prepare: two imports of the same file name; the first one's signature is tried elsewhere
    const first = await createImport('push', '名单.csv');
    const second = await createImport('push', '名单.csv');
    const [, , firstId, fileName] = first.key.split('/') as [string, string, string, string];
    const moved = new URL(first.uploadUrl);
    moved.searchParams.set(
      'X-Local-Expires',
      String(Number(moved.searchParams.get('X-Local-Expires')) + 3600),
    );
    const attempts = {
      'another import': withQueryOf(first.uploadUrl, second.key),
      'another source': withQueryOf(first.uploadUrl, `incoming/court/${firstId}/${fileName}`),
      'another file': withQueryOf(first.uploadUrl, `incoming/push/${firstId}/其他.csv`),
      'a later expiry': moved.href,
    };
    for (const [attempt, url] of Object.entries(attempts)) {
      // Act
      const response = await put(url);
      // Assess
      expect(response.status, attempt).toBe(403);
      expect(response.problem, attempt).toMatchObject({ code: 'upload-url-invalid' });
      expect(response.problem.detail, attempt).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(landed(second.key) || landed(`incoming/court/${firstId}/${fileName}`)).toBe(false);
    expect(landed(first.key)).toBe(false);
  });

  it('refuses a URL past its expiry', async () => {
    // Prepare: the same key, its URL issued 16 minutes ago for 15 minutes
    const created = await createImport('push', '过期.csv');
    const issuedEarlier = createFileDropStore(paths.dropbox, {
      baseUrl: server.url,
      uploadKey,
      now: () => new Date(Date.now() - 16 * 60_000),
    });
    const expired = await issuedEarlier.presignPut(created.key, 15 * 60);
    // Act
    const response = await put(expired);
    // Assess
    expect(response.status).toBe(403);
    expect(response.problem).toMatchObject({ code: 'upload-url-expired' });
    expect(response.problem.detail).toMatch(/过期/);
    expect(landed(created.key)).toBe(false);
  });

  it('takes the file at the URL it was given, and the import runs to its receipt', async () => {
    // Prepare
    const created = await createImport('tax', '重大税收违法.csv');
    const file = utf8Csv([
      ['纳税人名称', '纳税人识别号', '所属区县', '作出决定机关', '决定书文号', '公布日期'],
      [
        '石家庄签名测试公司',
        makeUscc(901),
        '桥西区',
        '国家税务总局石家庄市桥西区税务局',
        '石税罚〔2022〕901号',
        '2022-11-03',
      ],
    ]);
    const announced: string[] = [];
    const watcher = createDropWatcher({
      dropDir: paths.dropbox,
      bucketName: 'local-dropbox',
      enqueue: async (body) => announced.push(body),
    });
    // Act: upload, let the watcher see the file hold still, deliver its notification to the worker
    const response = await put(created.uploadUrl, file);
    await watcher.pollOnce();
    await watcher.pollOnce();
    const now = Date.now();
    const result = await handlers.importWorker(
      sqsEvent(
        announced.map((body, index) => ({
          messageId: `message-${index}`,
          body,
          receiveCount: 1,
          sentAt: now,
          firstReceivedAt: now,
        })),
      ),
      lambdaContext('import', 15 * 60_000),
    );
    const receipt = await fetch(`${server.url}/imports/${created.importId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    // Assess
    expect(response.status).toBe(200);
    expect(response.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(announced).toHaveLength(1);
    expect(result).toEqual({ batchItemFailures: [] });
    expect(await receipt.json()).toMatchObject({
      importId: created.importId,
      status: 'succeeded',
      counts: { rows: 1, accepted: 1 },
    });
  });
});
