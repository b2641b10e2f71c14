/**
 * Triage in the stack: the classify function on the table's stream (listings and subjects whose facts
 * changed, re-triage runs, rule-table changes), with its failure queue and alarm, and the daily schedule
 * that starts the run of the listings due. Its constructs sit directly in the stack (`Classify`,
 * `ClassifyFailureQueue`, `DailyTriage`), as the stack's acknowledgements name them.
 */
import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { TRIAGE_STREAM_TYPES } from '../../functions/classify/stream-records.ts';
import { JobFunction } from './job-function.ts';
import { scheduleJob } from './job-schedule.ts';
import { consumeTableStream } from './stream-consumer.ts';

/** 01:00 every day (Asia/Shanghai), before the offices open: re-triages the listings due that day. */
export const DAILY_TRIAGE_CRON = 'cron(0 1 * * ? *)';

export interface TriageProps {
  readonly entry: string;
  readonly logRetention?: ConstructorParameters<typeof JobFunction>[2]['logRetention'];
  readonly tracing?: boolean;
  readonly counterShards: number;
  readonly alarmTopic: sns.ITopic;
  /** Where a daily run that could not be delivered waits, with its event. */
  readonly jobsDeadLetterQueue: sqs.IQueue;
}

export function addTriage(scope: Construct, table: dynamodb.ITable, props: TriageProps): JobFunction {
  const classify = new JobFunction(scope, 'Classify', {
    entry: props.entry,
    ...(props.logRetention === undefined ? {} : { logRetention: props.logRetention }),
    ...(props.tracing === undefined ? {} : { tracing: props.tracing }),
    description: 'Triage kept current from the table stream; re-triage runs in slices; the daily run',
    // a slice of a run is 1 000 listings, a few seconds; a stream batch of 100 subjects a little more
    timeout: Duration.minutes(5),
    // npm run bench -- --memory: a stream batch of 100 listings peaks at 148 MB RSS
    memorySize: 512,
  })
    .bindTable(table, 'readWrite')
    .bindCounters(props.counterShards);
  consumeTableStream(scope, classify.function, table, {
    id: 'Classify',
    types: TRIAGE_STREAM_TYPES,
    alarmDescription:
      'Stream records triage could not handle after its retries: their listings may be on the wrong list; replay them from the queued position.',
    alarmTopic: props.alarmTopic,
  });
  scheduleJob(scope, 'DailyTriage', {
    description:
      'Starts the day’s re-triage of the listings due (a term ends, a period passes, a plan falls due)',
    cron: DAILY_TRIAGE_CRON,
    job: classify.function,
    role: { id: 'DailyTriageRole', description: 'Lets EventBridge Scheduler start the daily re-triage' },
    deadLetterQueue: props.jobsDeadLetterQueue,
  });
  return classify;
}
