/**
 * Where failures go: the alarm topic every alarm of the stack notifies (an address may subscribe to it),
 * and the jobs' dead-letter queue, which alarms on its first message. Both are made in the scope given
 * (the stack), so their ids are the stack's own.
 */
import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as snsSubscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { alarmWhenMessagesWait } from './queue-alarm.ts';

export interface FailureRoutes {
  readonly alarmTopic: sns.Topic;
  /**
   * Asynchronous invocations of classify and evaluate that still fail after Lambda's retries, and
   * schedule runs that could not be delivered, land here with their event, so a month can be replayed.
   */
  readonly jobsDeadLetterQueue: sqs.Queue;
}

/** The alarm topic, subscribed by `alarmEmail` when given and notified by `alarms`, and the jobs' DLQ. */
export function addFailureRoutes(
  scope: Construct,
  alarmEmail: string | undefined,
  alarms: readonly cloudwatch.Alarm[],
): FailureRoutes {
  const alarmTopic = new sns.Topic(scope, 'AlarmTopic', {
    displayName: 'credit-governance alarms',
    enforceSSL: true,
  });
  if (alarmEmail) alarmTopic.addSubscription(new snsSubscriptions.EmailSubscription(alarmEmail));

  const jobsDeadLetterQueue = new sqs.Queue(scope, 'JobsDeadLetterQueue', {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  const jobsAlarm = alarmWhenMessagesWait(
    scope,
    'JobsDeadLetterAlarm',
    jobsDeadLetterQueue,
    'A classification or evaluation run failed and waits in the jobs dead-letter queue.',
  );
  for (const alarm of [...alarms, jobsAlarm])
    alarm.addAlarmAction(new cloudwatchActions.SnsAction(alarmTopic));
  return { alarmTopic, jobsDeadLetterQueue };
}
