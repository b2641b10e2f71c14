/**
 * DynamoDB Local's Java child: its heap limit, and the supervisor that restarts it on the same port and
 * data folder when it dies, and gives up when it keeps dying.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#storage/client.ts';
import {
  type DynamoLocalKeepsDyingError,
  dynamoLocalSettings,
  ensureTable,
  startDynamoLocal,
  superviseDynamoLocal,
} from '../../local/dynamodb-local.ts';

const cleanups: (() => Promise<unknown>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

async function until<T>(probe: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('DynamoDB Local settings', () => {
  it('limits the heap to 1g unless DYNAMODB_LOCAL_HEAP says otherwise, and allows 3 restarts', () => {
    expect(dynamoLocalSettings({})).toEqual({ heap: '1g', maxRestarts: 3 });
    expect(dynamoLocalSettings({ DYNAMODB_LOCAL_HEAP: '512m', DYNAMODB_LOCAL_RESTARTS: '0' })).toEqual({
      heap: '512m',
      maxRestarts: 0,
    });
    expect(() => dynamoLocalSettings({ DYNAMODB_LOCAL_HEAP: '-Xmx1g' })).toThrow('DYNAMODB_LOCAL_HEAP');
    expect(() => dynamoLocalSettings({ DYNAMODB_LOCAL_RESTARTS: 'many' })).toThrow('DYNAMODB_LOCAL_RESTARTS');
  });
});

describe('DynamoDB Local child', () => {
  it('runs Java with the heap limit it is given', async () => {
    // Prepare
    const lines: string[] = [];
    const before = process.env.JDK_JAVA_OPTIONS;
    // Act
    const dynamo = await startDynamoLocal({ heap: '256m', log: (line) => lines.push(line) });
    cleanups.push(() => dynamo.stop());
    // Assess: the java launcher itself says which options it took
    expect(lines.join('\n')).toContain('Picked up JDK_JAVA_OPTIONS: -Xmx256m -XX:+ExitOnOutOfMemoryError');
    expect(process.env.JDK_JAVA_OPTIONS).toBe(before);
    await dynamo.stop();
  });

  it('restarts a killed child on the same port and data, then gives up when it keeps dying', async () => {
    // Prepare
    const dbPath = await mkdtemp(join(tmpdir(), 'cg-supervise-'));
    cleanups.push(() => rm(dbPath, { recursive: true, force: true }));
    const restarts: (number | undefined)[] = [];
    const givenUp: DynamoLocalKeepsDyingError[] = [];
    const dynamo = await superviseDynamoLocal({
      dbPath,
      heap: '256m',
      maxRestarts: 1,
      restartDelayMs: 50,
      log: () => undefined,
      onRestart: (pid) => restarts.push(pid),
      onGiveUp: (error) => givenUp.push(error),
    });
    cleanups.push(() => dynamo.stop());
    await ensureTable(dynamo.endpoint, 'supervised');
    const client = createDocumentClient({ endpoint: dynamo.endpoint });
    cleanups.push(async () => client.destroy());
    const key = { PK: 'PROBE#supervised', SK: 'PROBE' };
    await client.send(
      new PutCommand({ TableName: 'supervised', Item: { ...key, written: 'before the kill' } }),
    );
    const firstPid = dynamo.pid() ?? 0;

    // Act: the first death is restarted
    process.kill(firstPid, 'SIGKILL');
    const secondPid = await until(() => restarts[0]);
    const kept = await client.send(new GetCommand({ TableName: 'supervised', Key: key }));

    // Assess
    expect(secondPid).not.toBe(firstPid);
    expect(dynamo.pid()).toBe(secondPid);
    expect(kept.Item).toMatchObject({ written: 'before the kill' });

    // Act: the second death within the window is one too many
    process.kill(secondPid, 'SIGKILL');
    const error = await until(() => givenUp[0]);
    await new Promise((resolve) => setTimeout(resolve, 500));

    // Assess
    expect(error.message).toMatch(/DynamoDB Local died 2 times within 10 min.*killed by SIGKILL/s);
    expect(restarts).toHaveLength(1);
    expect(dynamo.pid()).toBe(secondPid);
    await dynamo.stop();
  });
});
