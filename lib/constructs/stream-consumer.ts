/**
 * A function on the table's stream, as every stream consumer of the stack takes it: batches of 100 with
 * a second's window, partial batch responses, a failing batch bisected and retried, and what still fails
 * leaves its position on a queue with an alarm, to be replayed. A filter on the new image's item type
 * keeps away the records the consumer has no use for.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { alarmWhenMessagesWait } from './queue-alarm.ts';

export interface StreamConsumerProps {
  /** Prefix of the failure queue's and alarm's ids: `<id>FailureQueue`, `<id>FailureAlarm`. */
  readonly id: string;
  /** Item types (the new image's `type`) that reach the function. */
  readonly types: readonly string[];
  /** What a message waiting on the failure queue means, for the alarm. */
  readonly alarmDescription: string;
  readonly alarmTopic: sns.ITopic;
  /**
   * Batches of one shard handled at once, the records of one partition key staying in order.
   * @default 1
   */
  readonly parallelizationFactor?: number;
}

export function consumeTableStream(
  scope: Construct,
  fn: lambda.IFunction,
  table: dynamodb.ITable,
  props: StreamConsumerProps,
): sqs.Queue {
  const failures = new sqs.Queue(scope, `${props.id}FailureQueue`, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  fn.addEventSource(
    new DynamoEventSource(table, {
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: 100,
      // a second of batching fills batches during imports and keeps the consumer seconds behind
      maxBatchingWindow: Duration.seconds(1),
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      retryAttempts: 10,
      ...(props.parallelizationFactor === undefined
        ? {}
        : { parallelizationFactor: props.parallelizationFactor }),
      onFailure: new SqsDlq(failures),
      filters: [
        lambda.FilterCriteria.filter({
          dynamodb: { NewImage: { type: { S: lambda.FilterRule.or(...props.types) } } },
        }),
      ],
    }),
  );
  alarmWhenMessagesWait(scope, `${props.id}FailureAlarm`, failures, props.alarmDescription).addAlarmAction(
    new cloudwatchActions.SnsAction(props.alarmTopic),
  );
  return failures;
}
