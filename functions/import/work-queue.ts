/**
 * Where the import worker sends follow-up work (file chunks): the SQS queue in the cloud, the local
 * runtime's queue folder on one machine (`<LOCAL_QUEUE_DIR>/import/<sentAt>-<uuid>.json`, holding
 * `{"body", "receiveCount", "sentAt"}`, written under a dot-name and renamed into place).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';

export interface WorkQueue {
  send(body: string): Promise<void>;
}

export function createSqsWorkQueue(queueUrl: string, client: SQSClient = new SQSClient({})): WorkQueue {
  return {
    async send(body) {
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    },
  };
}

export function createFileWorkQueue(queueDir: string): WorkQueue {
  return {
    async send(body) {
      const folder = join(queueDir, 'import');
      await mkdir(folder, { recursive: true });
      const sentAt = Date.now();
      const name = `${sentAt}-${randomUUID()}.json`;
      const temporary = join(folder, `.${name}.tmp`);
      await writeFile(temporary, JSON.stringify({ body, receiveCount: 0, sentAt }));
      await rename(temporary, join(folder, name));
    },
  };
}
