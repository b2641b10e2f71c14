/**
 * DynamoDB Local dies under a running `npm start`: `/health` says so while it is down, the runtime restarts
 * it on the same port and data folder, and when it keeps dying the runtime stops with a clear message.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#storage/client.ts';
import { freePort } from '../../local/dynamodb-local.ts';
import { LOCAL_TABLE_NAME } from '../../local/environment.ts';
import { localPaths } from '../../local/paths.ts';
import { isProcessAlive, type RuntimeRecord, readRuntimeRecord } from '../../local/runtime-file.ts';

const PROBE_KEY = { PK: 'E2E#supervision', SK: 'PROBE' };
const pids = new Set<number>();
const children: ChildProcess[] = [];
const localDirs: string[] = [];

afterAll(async () => {
  // Only what this test started, by pid.
  for (const pid of pids) if (isProcessAlive(pid)) process.kill(pid, 'SIGKILL');
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of localDirs) await rm(dir, { recursive: true, force: true });
});

interface Runtime {
  readonly baseUrl: string;
  readonly runtimeFile: string;
  readonly output: () => string;
  readonly exitCode: () => number | null;
  readonly exited: Promise<number | null>;
}

async function startRuntime(extraEnv: Record<string, string>): Promise<Runtime> {
  const localDir = await mkdtemp(join(tmpdir(), 'cg-supervision-'));
  localDirs.push(localDir);
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    env: { ...process.env, LOCAL_DIR: localDir, PORT: String(port), ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    runtimeFile: localPaths(localDir).runtimeFile,
    output: () => output,
    exitCode: () => child.exitCode,
    exited,
  };
}

async function health(runtime: Runtime): Promise<{ status: number; body: unknown } | undefined> {
  try {
    const response = await fetch(`${runtime.baseUrl}/health`, { signal: AbortSignal.timeout(10_000) });
    return { status: response.status, body: await response.json() };
  } catch {
    return undefined;
  }
}

async function waitFor<T>(
  what: string,
  runtime: Runtime,
  probe: () => Promise<T | undefined>,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (runtime.exitCode() !== null)
      throw new Error(`npm start exited while waiting for ${what}:\n${runtime.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${runtime.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function record(runtime: Runtime): Promise<RuntimeRecord> {
  const found = await waitFor('runtime.json', runtime, () => readRuntimeRecord(runtime.runtimeFile));
  pids.add(found.pid);
  if (found.dynamoPid !== undefined) pids.add(found.dynamoPid);
  return found;
}

/** The runtime.json once it names a DynamoDB Local other than `pid`. */
function nextRecord(runtime: Runtime, pid: number): Promise<RuntimeRecord> {
  return waitFor('a new DynamoDB Local pid', runtime, async () => {
    const found = await readRuntimeRecord(runtime.runtimeFile);
    if (found?.dynamoPid === undefined || found.dynamoPid === pid) return undefined;
    pids.add(found.dynamoPid);
    return found;
  });
}

const healthy = (runtime: Runtime) => async () => {
  const answer = await health(runtime);
  return answer?.status === 200 ? answer : undefined;
};

describe('DynamoDB Local under a running runtime', () => {
  it('reports the database down on /health, restarts a killed DynamoDB Local and keeps its data', async () => {
    // Prepare
    const runtime = await startRuntime({ DYNAMODB_LOCAL_HEAP: '512m' });
    const up = await waitFor('/health', runtime, healthy(runtime));
    const first = await record(runtime);
    const client = createDocumentClient({ endpoint: first.dynamoEndpoint });
    await client.send(new PutCommand({ TableName: LOCAL_TABLE_NAME, Item: { ...PROBE_KEY, type: 'probe' } }));
    const dynamoPid = first.dynamoPid ?? 0;
    const environ = existsSync(`/proc/${dynamoPid}/environ`)
      ? readFileSync(`/proc/${dynamoPid}/environ`, 'utf8').split('\0')
      : undefined;

    // Act: DynamoDB Local stops answering (frozen, so the supervisor leaves it be)
    process.kill(dynamoPid, 'SIGSTOP');
    const down = await health(runtime);
    process.kill(dynamoPid, 'SIGCONT');
    const backAfterFreeze = await waitFor('/health after SIGCONT', runtime, healthy(runtime));

    // Assess
    expect(up.body).toEqual({ status: 'ok', database: 'ok' });
    if (environ !== undefined)
      expect(environ).toContain('JDK_JAVA_OPTIONS=-Xmx512m -XX:+ExitOnOutOfMemoryError');
    expect(down).toEqual({ status: 503, body: { status: 'degraded', database: 'unreachable' } });
    expect(backAfterFreeze.body).toEqual({ status: 'ok', database: 'ok' });

    // Act: DynamoDB Local dies
    process.kill(dynamoPid, 'SIGKILL');
    const second = await nextRecord(runtime, dynamoPid);
    const afterRestart = await waitFor('/health after the restart', runtime, healthy(runtime));
    const kept = await client.send(new GetCommand({ TableName: LOCAL_TABLE_NAME, Key: PROBE_KEY }));
    client.destroy();

    // Assess
    expect(second.dynamoEndpoint).toBe(first.dynamoEndpoint);
    expect(isProcessAlive(second.dynamoPid ?? 0)).toBe(true);
    expect(afterRestart.body).toEqual({ status: 'ok', database: 'ok' });
    expect(kept.Item).toMatchObject({ type: 'probe' });
    expect(runtime.output()).toContain(`DynamoDB Local died (killed by SIGKILL); restarting it on port`);
    process.kill(first.pid, 'SIGTERM');
    expect(await runtime.exited).toBe(0);
  }, 240_000);

  it('stops the whole runtime, non-zero and saying why, when DynamoDB Local keeps dying', async () => {
    // Prepare
    const runtime = await startRuntime({ DYNAMODB_LOCAL_RESTARTS: '1' });
    await waitFor('/health', runtime, healthy(runtime));
    const first = await record(runtime);
    // Act
    process.kill(first.dynamoPid ?? 0, 'SIGKILL');
    const second = await nextRecord(runtime, first.dynamoPid ?? 0);
    process.kill(second.dynamoPid ?? 0, 'SIGKILL');
    const code = await runtime.exited;
    // Assess
    expect(code, runtime.output()).toBe(1);
    expect(runtime.output()).toContain('npm start stopped: DynamoDB Local died 2 times within 10 min');
    expect(existsSync(runtime.runtimeFile)).toBe(false);
    expect(isProcessAlive(second.dynamoPid ?? 0)).toBe(false);
  }, 240_000);
});
