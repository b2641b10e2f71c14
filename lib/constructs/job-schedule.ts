/**
 * A job run on a schedule by EventBridge Scheduler, in Asia/Shanghai time. The job is handed the
 * schedule's `scheduledTime`, never its own clock, so a missed or failed run can be replayed. Scheduler
 * assumes a role of our own rather than the target's shared one, so the schedule's permissions have a
 * stable path, and only for this account's default schedule group.
 */
import { Aws, Duration, Stack, TimeZone } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export function scheduleRole(scope: Construct, id: string, description: string): iam.Role {
  return new iam.Role(scope, id, {
    description,
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
      conditions: {
        StringEquals: {
          'aws:SourceAccount': Aws.ACCOUNT_ID,
          'aws:SourceArn': Stack.of(scope).formatArn({
            service: 'scheduler',
            resource: 'schedule-group',
            resourceName: 'default',
          }),
        },
      },
    }),
  });
}

export interface JobScheduleProps {
  readonly description: string;
  /** A cron expression, read in Asia/Shanghai. */
  readonly cron: string;
  readonly job: lambda.IFunction;
  /** The id of its role in `scope`, and what the role is for. */
  readonly role: { readonly id: string; readonly description: string };
  /** Where a run lands, with its event, when it could not be delivered after the retries. */
  readonly deadLetterQueue: sqs.IQueue;
}

/** Invokes `job` on the schedule with `{ source: 'schedule', scheduledTime }`. */
export function scheduleJob(scope: Construct, id: string, props: JobScheduleProps): scheduler.Schedule {
  return new scheduler.Schedule(scope, id, {
    description: props.description,
    schedule: scheduler.ScheduleExpression.expression(props.cron, TimeZone.ASIA_SHANGHAI),
    target: new schedulerTargets.LambdaInvoke(props.job, {
      input: scheduler.ScheduleTargetInput.fromObject({
        source: 'schedule',
        scheduledTime: scheduler.ContextAttribute.scheduledTime,
      }),
      role: scheduleRole(scope, props.role.id, props.role.description),
      retryAttempts: 3,
      maxEventAge: Duration.hours(6),
      deadLetterQueue: props.deadLetterQueue,
    }),
  });
}
