/**
 * Where the import worker sends follow-up work (file chunks, released pushes): the SQS queue in the
 * cloud. The local runtime passes its queue folder (`local/adapters/`) to the handler factories instead.
 */
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
