import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createImportQueue,
  type ImportQueue,
  type SqsHandler,
  writeQueueMessage,
} from '../../local/queue.ts';

let queue: ImportQueue | undefined;

afterEach(async () => {
  await queue?.stop();
  queue = undefined;
});

async function prepare(handler: SqsHandler, concurrency?: number) {
  const queueDir = await mkdtemp(join(tmpdir(), 'cg-queue-'));
  queue = createImportQueue({ queueDir, handler, backoffMs: () => 5, pollIntervalMs: 5, concurrency });
  return { queueDir, queue };
}

async function until(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('local import queue', () => {
  it('delivers a message as an SQS event and deletes it when the handler succeeds', async () => {
    // Prepare
    const events: SQSEvent[] = [];
    const { queueDir, queue } = await prepare(async (event) => {
      events.push(event);
      return { batchItemFailures: [] };
    });
    // Act
    const messageId = await queue.enqueue('{"Records":[]}');
    queue.start();
    await queue.idle();
    // Assess
    expect(events).toHaveLength(1);
    expect(events[0]?.Records[0]).toMatchObject({
      messageId,
      body: '{"Records":[]}',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:import-queue',
      attributes: { ApproximateReceiveCount: '1' },
    });
    expect(await readdir(join(queueDir, 'import'))).toEqual([]);
  });

  it('retries a failing message with a growing receive count and moves it to dead/ after 5 receives', async () => {
    // Prepare
    const counts: string[] = [];
    const { queueDir, queue } = await prepare(async (event) => {
      counts.push(event.Records[0]?.attributes.ApproximateReceiveCount ?? '');
      throw new Error('the file cannot be read');
    });
    // Act
    await queue.enqueue('poison');
    queue.start();
    await until(async () => (await readdir(join(queueDir, 'dead'))).length === 1);
    // Assess
    expect(counts).toEqual(['1', '2', '3', '4', '5']);
    expect(await readdir(join(queueDir, 'import'))).toEqual([]);
    const [dead] = await readdir(join(queueDir, 'dead'));
    const stored = JSON.parse(await readFile(join(queueDir, 'dead', dead ?? ''), 'utf8'));
    expect(stored).toMatchObject({ body: 'poison', receiveCount: 5 });
  });

  it('treats a reported batch item failure as a failure and succeeds on a later receive', async () => {
    // Prepare
    let attempts = 0;
    const { queueDir, queue } = await prepare(async (event) => {
      attempts += 1;
      const messageId = event.Records[0]?.messageId ?? '';
      return { batchItemFailures: attempts < 3 ? [{ itemIdentifier: messageId }] : [] };
    });
    // Act
    await queue.enqueue('flaky');
    queue.start();
    await until(async () => attempts === 3 && (await readdir(join(queueDir, 'import'))).length === 0);
    // Assess
    expect(await readdir(join(queueDir, 'dead'))).toEqual([]);
  });

  it('delivers messages written by another process, at most two at a time', async () => {
    // Prepare
    let active = 0;
    let peak = 0;
    const bodies: string[] = [];
    const { queueDir, queue } = await prepare(async (event) => {
      active += 1;
      peak = Math.max(peak, active);
      await new Promise((resolve) => setTimeout(resolve, 20));
      bodies.push(event.Records[0]?.body ?? '');
      active -= 1;
    });
    for (const chunk of ['chunk-1', 'chunk-2', 'chunk-3', 'chunk-4', 'chunk-5'])
      await writeQueueMessage(queueDir, chunk);
    // Act
    queue.start();
    await until(async () => bodies.length === 5);
    // Assess
    expect(peak).toBe(2);
    expect(bodies.sort()).toEqual(['chunk-1', 'chunk-2', 'chunk-3', 'chunk-4', 'chunk-5']);
  });

  it('writes messages in the documented file format', async () => {
    // Prepare
    const queueDir = await mkdtemp(join(tmpdir(), 'cg-queue-'));
    // Act
    const messageId = await writeQueueMessage(queueDir, '{"chunk":2}', 1_700_000_000_000);
    // Assess
    const names = await readdir(join(queueDir, 'import'));
    expect(names).toEqual([`1700000000000-${messageId}.json`]);
    expect(JSON.parse(await readFile(join(queueDir, 'import', names[0] ?? ''), 'utf8'))).toEqual({
      body: '{"chunk":2}',
      receiveCount: 0,
      sentAt: 1_700_000_000_000,
    });
  });
});
