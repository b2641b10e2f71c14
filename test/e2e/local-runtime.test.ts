/**
 * End to end through the one-machine runtime: `npm start`'s entry on a temporary LOCAL_DIR, the token
 * command, the HTTP API with and without tokens, an orderly SIGTERM that takes DynamoDB Local with it,
 * and a second start that finds the first run's data.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#storage/client.ts';
import { freePort } from '../../local/dynamodb-local.ts';
import { LOCAL_TABLE_NAME } from '../../local/environment.ts';
import { localPaths } from '../../local/paths.ts';
import { isProcessAlive, type RuntimeRecord, readRuntimeRecord } from '../../local/runtime-file.ts';
import { COURT_HEADER, courtRows, makeUscc, utf8Csv } from '../support/files.ts';

const run = promisify(execFile);
const VALID_USCC = '914403001922038216';
const WRONG_CHECK_DIGIT = '914403001922038217';
const PROBE_KEY = { PK: 'E2E#local-runtime', SK: 'PROBE' };

interface Started {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

const started: Started[] = [];
const records: RuntimeRecord[] = [];
const localDirs: string[] = [];

afterAll(async () => {
  // Only what this test started, by pid: the runtimes, then any DynamoDB Local they left.
  for (const record of records) {
    for (const pid of [record.pid, record.dynamoPid]) {
      if (pid !== undefined && isProcessAlive(pid)) process.kill(pid, 'SIGKILL');
    }
  }
  for (const { child } of started) {
    if (child.exitCode === null && child.pid !== undefined) child.kill('SIGKILL');
  }
  for (const dir of localDirs) await rm(dir, { recursive: true, force: true });
});

function startRuntime(env: NodeJS.ProcessEnv): Started {
  const child = spawn('npx', ['tsx', 'local/start.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const handle = { child, output: () => output, exited };
  started.push(handle);
  return handle;
}

async function waitForHealth(baseUrl: string, runtime: Started, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (runtime.child.exitCode !== null) throw new Error(`npm start exited early:\n${runtime.output()}`);
    try {
      const response = await fetch(`${baseUrl}/health`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`no answer from ${baseUrl}/health:\n${runtime.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function runtimeRecord(file: string): Promise<RuntimeRecord> {
  const record = await readRuntimeRecord(file);
  if (record === undefined) throw new Error('runtime.json is missing');
  records.push(record);
  return record;
}

async function waitUntilGone(pid: number, timeoutMs = 15_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

async function stopRuntime(runtime: Started, record: RuntimeRecord): Promise<number | null> {
  process.kill(record.pid, 'SIGTERM');
  return runtime.exited;
}

/** The classification of a subject's first listing, once triage has written it (within a minute). */
async function waitForClassification(url: string, headers: Record<string, string>): Promise<unknown> {
  for (let attempt = 0; attempt < 120; attempt++) {
    const response = await fetch(url, { headers });
    if (response.ok) {
      const body = (await response.json()) as { listings?: { classification?: unknown }[] };
      const classification = body.listings?.[0]?.classification;
      if (classification !== undefined) return classification;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return undefined;
}

describe('local runtime end to end', () => {
  it('serves the API, imports and triages a dropped list, stops cleanly on SIGTERM and keeps its data across a restart', async () => {
    // Prepare
    const localDir = await mkdtemp(join(tmpdir(), 'cg-e2e-'));
    localDirs.push(localDir);
    const paths = localPaths(localDir);
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const env = { ...process.env, LOCAL_DIR: localDir, PORT: String(port) };

    // Act: first run
    const first = startRuntime(env);
    await waitForHealth(baseUrl, first);
    const firstRecord = await runtimeRecord(paths.runtimeFile);
    const tokenRun = await run('npm', ['run', 'token', '--', 'city'], { env });
    const token = tokenRun.stdout.trim().split('\n').at(-1) ?? '';
    const silentToken = await run('npm', ['run', '-s', 'token', '--', 'city'], { env });
    const auth = { authorization: `Bearer ${token}` };
    const found = await fetch(`${baseUrl}/subjects/${VALID_USCC}`, { headers: auth });
    const invalid = await fetch(`${baseUrl}/subjects/${WRONG_CHECK_DIGIT}`, { headers: auth });
    const anonymous = await fetch(`${baseUrl}/subjects/${VALID_USCC}`);
    // a court list dropped in the folder is imported, and triage reaches its listings from the stream
    await mkdir(join(paths.incoming, 'court'), { recursive: true });
    await writeFile(
      join(paths.incoming, 'court', '法院名单.csv'),
      utf8Csv([[...COURT_HEADER], ...courtRows(2, 700)]),
    );
    const triaged = await waitForClassification(`${baseUrl}/subjects/${makeUscc(700)}`, auth);
    await waitForClassification(`${baseUrl}/subjects/${makeUscc(701)}`, auth);
    const counts = await fetch(`${baseUrl}/counts`, { headers: auth });
    const second = await run('npx', ['tsx', 'local/start.ts'], { env }).catch((error) => error);
    const evaluation = await run('npm', ['run', '-s', 'evaluate', '--', '2026-10'], { env }).catch(
      (error) => error,
    );
    const client = createDocumentClient({ endpoint: firstRecord.dynamoEndpoint });
    await client.send(
      new PutCommand({ TableName: LOCAL_TABLE_NAME, Item: { ...PROBE_KEY, type: 'e2e-probe', run: 1 } }),
    );
    client.destroy();
    const firstExit = await stopRuntime(first, firstRecord);

    // Assess: first run
    expect(silentToken.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(found.status).toBe(404);
    expect(invalid.status).toBe(400);
    expect(anonymous.status).toBe(401);
    expect(triaged, first.output()).toMatchObject({ ruleId: expect.any(String), reason: expect.any(String) });
    const districts = ((await counts.json()) as { districts: { district: string; unclassified: number }[] })
      .districts;
    expect(districts.find((row) => row.district === '130102')).toMatchObject({ unclassified: 0 });
    expect(await anonymous.json()).toMatchObject({ status: 401, code: 'unauthorized' });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`kill -TERM ${firstRecord.pid}`);
    // an ended month is evaluated against the running runtime's table, and its snapshot printed
    expect(evaluation.code, evaluation.stderr).toBeUndefined();
    expect(JSON.parse(evaluation.stdout)).toMatchObject({ month: '2026-10' });
    expect(firstExit, first.output()).toBe(0);
    expect(firstRecord.dynamoPid).toBeTypeOf('number');
    expect(await waitUntilGone(firstRecord.dynamoPid ?? 0)).toBe(true);
    expect(existsSync(paths.runtimeFile)).toBe(false);

    // Act: second run on the same LOCAL_DIR
    const restarted = startRuntime(env);
    await waitForHealth(baseUrl, restarted);
    const secondRecord = await runtimeRecord(paths.runtimeFile);
    const reader = createDocumentClient({ endpoint: secondRecord.dynamoEndpoint });
    const kept = await reader.send(new GetCommand({ TableName: LOCAL_TABLE_NAME, Key: PROBE_KEY }));
    reader.destroy();
    const secondExit = await stopRuntime(restarted, secondRecord);

    // Assess: second run
    expect(kept.Item).toMatchObject({ type: 'e2e-probe', run: 1 });
    expect(secondExit, restarted.output()).toBe(0);
    expect(await waitUntilGone(secondRecord.dynamoPid ?? 0)).toBe(true);
    expect(existsSync(paths.runtimeFile)).toBe(false);
  }, 300_000);
});
