/** Builds the event Lambda's SQS event source delivers, one record per received message. */
import { createHash, randomBytes } from 'node:crypto';
import type { SQSEvent, SQSRecord } from 'aws-lambda';

export const LOCAL_REGION = 'us-east-1';
export const IMPORT_QUEUE_ARN = `arn:aws:sqs:${LOCAL_REGION}:000000000000:import-queue`;
/** Who sent the message: in the cloud, the S3 service principal's id. */
const SENDER_ID = 'AIDAJLOCALS3NOTIFIER0';

export interface ReceivedMessage {
  readonly messageId: string;
  readonly body: string;
  /** Receives so far, this one included. */
  readonly receiveCount: number;
  readonly sentAt: number;
  readonly firstReceivedAt: number;
}

/** The SQS record of one received message, with a fresh receipt handle as SQS gives on every receive. */
export function sqsRecord(message: ReceivedMessage, queueArn: string = IMPORT_QUEUE_ARN): SQSRecord {
  return {
    messageId: message.messageId,
    receiptHandle: randomBytes(48).toString('base64'),
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentAt),
      SenderId: SENDER_ID,
      ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt),
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(message.body, 'utf8').digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: LOCAL_REGION,
  };
}

/** The event for a batch of received messages. */
export function sqsEvent(messages: readonly ReceivedMessage[], queueArn?: string): SQSEvent {
  return { Records: messages.map((message) => sqsRecord(message, queueArn)) };
}
