/**
 * Builds the notification S3 sends for a new object in the drop-folder bucket. S3 writes the object key
 * URL-encoded (form style: spaces as `+`), so the handlers must decode it; the local runtime encodes it the
 * same way so that a handler which forgets fails here too. The bucket is versioned, so every record
 * carries the new object's `versionId`.
 */
import { createHash } from 'node:crypto';
import type { S3Event, S3EventRecord } from 'aws-lambda';
import { LOCAL_REGION } from './sqs-event.ts';

/** The id of the bucket's notification configuration, as the stack would name it. */
const CONFIGURATION_ID = 'import-queue-notification';

/** An object key as S3 writes it into event notifications: each segment URL-encoded, spaces as `+`. */
export function encodeS3EventKey(key: string): string {
  return key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replaceAll('%20', '+'))
    .join('/');
}

/** The object key of an event notification, decoded: the inverse of {@link encodeS3EventKey}. */
export function decodeS3EventKey(encoded: string): string {
  return decodeURIComponent(encoded.replaceAll('+', ' '));
}

export interface CreatedObject {
  /** The key as stored, not encoded: `incoming/push/名单 2022.csv`. */
  readonly key: string;
  readonly size: number;
  /** MD5 of the content in hex, as S3 computes it for a single-part upload. */
  readonly eTag: string;
  readonly bucketName: string;
  readonly eventTime: Date;
  /** The version the put created; by default one derived from the object, as a folder has none. */
  readonly versionId?: string;
}

/** The `ObjectCreated:Put` record for one object. */
export function objectCreatedRecord(object: CreatedObject): S3EventRecord {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: LOCAL_REGION,
    eventTime: object.eventTime.toISOString(),
    eventName: 'ObjectCreated:Put',
    userIdentity: { principalId: 'AWS:AIDALOCALUPLOADER000' },
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: {
      'x-amz-request-id': requestId(object.eventTime),
      'x-amz-id-2': Buffer.from(`${object.key}:${object.eventTime.getTime()}`).toString('base64'),
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: CONFIGURATION_ID,
      bucket: {
        name: object.bucketName,
        ownerIdentity: { principalId: 'A3LOCALOWNER0000' },
        arn: `arn:aws:s3:::${object.bucketName}`,
      },
      object: {
        key: encodeS3EventKey(object.key),
        size: object.size,
        eTag: object.eTag,
        versionId: object.versionId ?? versionIdOf(object),
        sequencer: sequencer(object.eventTime),
      },
    },
  };
}

/** The notification for one created object, as S3 sends it to the queue. */
export function objectCreatedEvent(object: CreatedObject): S3Event {
  return { Records: [objectCreatedRecord(object)] };
}

function requestId(time: Date): string {
  return time.getTime().toString(16).toUpperCase().padStart(16, '0');
}

/**
 * A version id in S3's form (32 characters of letters, digits, `.` and `_`), the same for the same
 * object written at the same time, so a notification the watcher repeats names the same version.
 */
function versionIdOf(object: CreatedObject): string {
  return createHash('sha256')
    .update(`${object.bucketName}\n${object.key}\n${object.eTag}\n${object.eventTime.getTime()}`)
    .digest('base64url')
    .replaceAll('-', '.')
    .slice(0, 32);
}

let lastSequencer = 0n;

/** S3's sequencer: hex that grows with each event on a key, so a consumer can order events. */
function sequencer(time: Date): string {
  const candidate = BigInt(time.getTime()) * 1000n;
  lastSequencer = candidate > lastSequencer ? candidate : lastSequencer + 1n;
  return lastSequencer.toString(16).toUpperCase().padStart(18, '0');
}
