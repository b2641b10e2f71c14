/**
 * The change trail in the stack: the trail function on the table's stream, with its failure queue and
 * alarm. Its constructs sit directly in the stack (`Trail`, `TrailFailureQueue`), so their paths and
 * logical ids stay as the stack's acknowledgements name them.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { AUDITED_TYPES } from '#domain/trail.ts';
import { JobFunction } from './job-function.ts';
import { alarmWhenMessagesWait } from './queue-alarm.ts';

/**
 * The trail: the table's stream, filtered to audited item types (so never the trail's own entries),
 * in batches with partial responses; a failing batch is bisected and retried, and what still fails
 * leaves its position on a queue with an alarm, to be replayed.
 */
export function addChangeTrail(
  scope: Construct,
  table: dynamodb.ITable,
  props: Pick<ConstructorParameters<typeof JobFunction>[2], 'entry' | 'logRetention' | 'tracing'>,
  alarmTopic: sns.ITopic,
): JobFunction {
  const trail = new JobFunction(scope, 'Trail', {
    ...props,
    description: 'Change trail: one entry per change of an audited item, from the table stream',
    timeout: Duration.minutes(1),
  }).bindTable(table, 'readWrite');
  const failures = new sqs.Queue(scope, 'TrailFailureQueue', {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  trail.function.addEventSource(
    new DynamoEventSource(table, {
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: 100,
      // a second of batching fills batches during imports and keeps the trail seconds behind
      maxBatchingWindow: Duration.seconds(1),
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      retryAttempts: 10,
      onFailure: new SqsDlq(failures),
      filters: [
        lambda.FilterCriteria.filter({
          dynamodb: { NewImage: { type: { S: lambda.FilterRule.or(...AUDITED_TYPES) } } },
        }),
      ],
    }),
  );
  alarmWhenMessagesWait(
    scope,
    'TrailFailureAlarm',
    failures,
    'Stream records the trail could not write after its retries: replay them from the queued position.',
  ).addAlarmAction(new cloudwatchActions.SnsAction(alarmTopic));
  return trail;
}
