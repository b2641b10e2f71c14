/**
 * The drop folder: a private bucket where lists arrive under `incoming/<source>/`, and the queue between
 * its ObjectCreated events and the import worker. S3 delivers events at least once and may deliver one
 * twice; the queue absorbs bursts, retries a failed file five times, then parks it in a dead-letter
 * queue that raises an alarm.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DROP_PREFIX } from '#shared/drop-folder.ts';
import { alarmWhenMessagesWait } from './queue-alarm.ts';

/** Receives before a message goes to the dead-letter queue. */
export const IMPORT_MAX_RECEIVE_COUNT = 5;

export interface DropFolderProps {
  /** How long files under `processed/`, `rejected/` and `outgoing/` (and replaced versions of any file) are kept. */
  readonly fileRetention: Duration;
  /** How long server access logs are kept. */
  readonly accessLogRetention: Duration;
  /**
   * The import worker's timeout. The queue hides a received message for six times as long, as Lambda
   * recommends, so a slow file is never handed to a second worker while the first still reads it.
   */
  readonly workerTimeout: Duration;
}

export class DropFolder extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  /** In alarm while any import message sits in the dead-letter queue. */
  readonly deadLetterAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: DropFolderProps) {
    super(scope, id);

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // S3 server access logging cannot deliver to a bucket encrypted with SSE-KMS.
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: props.accessLogRetention }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'drop-folder/',
      lifecycleRules: [
        { id: 'expire-processed', prefix: DROP_PREFIX.processed, expiration: props.fileRetention },
        { id: 'expire-rejected', prefix: DROP_PREFIX.rejected, expiration: props.fileRetention },
        // check results name who was asked about; kept no longer than the files they answer
        { id: 'expire-outgoing', prefix: DROP_PREFIX.outgoing, expiration: props.fileRetention },
        // Moving a file is copy + delete, which leaves a noncurrent version behind in a versioned bucket.
        { id: 'expire-noncurrent-versions', noncurrentVersionExpiration: props.fileRetention },
        { id: 'remove-expired-delete-markers', expiredObjectDeleteMarker: true },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    this.queue = new sqs.Queue(this, 'Queue', {
      // SSE-SQS rather than a KMS key: S3 can publish to it without a key policy.
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(props.workerTimeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: IMPORT_MAX_RECEIVE_COUNT },
    });

    this.bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.SqsDestination(this.queue), {
      prefix: DROP_PREFIX.incoming,
    });

    this.deadLetterAlarm = alarmWhenMessagesWait(
      this,
      'DeadLetterAlarm',
      this.deadLetterQueue,
      'An import message failed five times and waits in the dead-letter queue.',
    );
  }
}
