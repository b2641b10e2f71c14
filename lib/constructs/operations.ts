/**
 * What an operator needs to run the stack: an alarm for each way it can fail or fall behind without a
 * user noticing at once, every one sent to the alarm topic, and one dashboard. Each alarm's description
 * says what it means and what to do; the comment beside its threshold says why that number. The queue
 * alarms (a message waiting on a dead-letter or failure queue) are made with their queues and are not
 * repeated here; the dashboard shows their state with the others.
 */
import { Duration, type Stack } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';
import type { JobName } from '../credit-governance-stack.ts';
import { addDashboard } from './operations-dashboard.ts';
import {
  FIVE_MINUTES,
  jobEntries,
  type OperationsProps,
  STREAM_CONSUMERS,
  sumOverOperations,
} from './operations-metrics.ts';

export { type OperationsProps, STREAM_CONSUMERS, TABLE_OPERATIONS } from './operations-metrics.ts';

/** The share of the import worker's timeout at which a run is too close to being cut off. */
export const IMPORT_DURATION_SHARE = 0.8;

const GTE = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;

/** The alarms and the dashboard. Call it last in the stack, so the dashboard finds every alarm. */
export class Operations extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    const action = new cloudwatchActions.SnsAction(props.alarmTopic);

    for (const [job, { function: fn }] of jobEntries(props.functions)) {
      this.functionAlarms(job, fn);
    }
    this.importDurationAlarm(props.functions.import.function);
    for (const job of STREAM_CONSUMERS) this.iteratorAgeAlarm(job, props.functions[job].function);
    this.apiAlarms(props.api);
    this.tableAlarms(props.table);
    for (const alarm of this.alarms) alarm.addAlarmAction(action);

    this.dashboard = addDashboard(this, props);
  }

  private add(id: string, metric: cloudwatch.IMetric, options: AlarmOptions): void {
    this.alarms.push(
      new cloudwatch.Alarm(this, id, { metric, comparisonOperator: GTE, evaluationPeriods: 1, ...options }),
    );
  }

  private functionAlarms(job: JobName, fn: lambda.IFunction): void {
    const name = capitalized(job);
    // Errors are invocations that threw or timed out: expected failures (a rejected file, a 4xx, a stream
    // record reported back for a retry) are answered, not thrown, so a single one is worth a look.
    this.add(`${name}Errors`, fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }), {
      threshold: 1,
      // no invocation, no error
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `The ${job} function failed at least once in 5 minutes (an exception or a timeout). Read its log group for the error; an asynchronous run that still fails after its retries lands in a dead-letter queue to be replayed.`,
    });
    // No function reserves concurrency, so any throttle means the account's concurrency quota is used
    // up (a new account may start at 10): an API call answered 429/500, or an import or stream batch delayed.
    this.add(`${name}Throttles`, fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }), {
      threshold: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `Lambda refused to run the ${job} function at least once in 5 minutes for want of concurrency. Check ConcurrentExecutions in the account and ask for a higher Lambda concurrency quota, or find what else in the account uses it up.`,
    });
  }

  private importDurationAlarm(fn: lambda.Function): void {
    const timeout = fn.timeout ?? Duration.seconds(3);
    // The maximum, not a percentile: imports are few, and a single run near its timeout is the warning
    // that a slightly larger file (or a slower table) will be cut off, retried five times, then parked.
    const limitMs = Math.round(timeout.toMilliseconds() * IMPORT_DURATION_SHARE);
    this.add('ImportDuration', fn.metricDuration({ period: FIVE_MINUTES, statistic: 'Maximum' }), {
      threshold: limitMs,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `An import run took at least ${IMPORT_DURATION_SHARE * 100}% of the worker's ${timeout.toMinutes()}-minute timeout. A larger file would be cut off and retried to the dead-letter queue: lower IMPORT_CHUNK_ROWS so big files split into smaller chunks, or look for throttling on the table.`,
    });
  }

  private iteratorAgeAlarm(job: JobName, fn: lambda.IFunction): void {
    // A second's batching window keeps a healthy consumer seconds behind; a large import may push it
    // past a minute briefly. Three minutes out of five over a minute behind is a consumer that is not
    // keeping up (or retrying one failing batch), and what it writes (trail, triage) is that late.
    const metric = fn.metric('IteratorAge', { period: Duration.minutes(1), statistic: 'Maximum' });
    this.add(`${capitalized(job)}IteratorAge`, metric, {
      threshold: 60_000,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      // only invocations report an age; no records means nothing to fall behind on
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `The ${job} function is more than a minute behind the table's stream for 3 of the last 5 minutes, so ${job === 'trail' ? 'the change trail' : 'triage (the lists and measures)'} lags behind the data. Look for errors or a batch being retried in its log, and for throttling on the table; records older than 24 hours leave the stream.`,
    });
  }

  private apiAlarms(api: apigwv2.IHttpApi): void {
    // Share of 5xx, counted once at least five requests failed: on a quiet evening one failed call among
    // ten would otherwise read 10% and page someone; at office hours 1% is hundreds of people.
    const serverErrorShare = new cloudwatch.MathExpression({
      expression: 'IF(errors >= 5, 100 * errors / requests, 0)',
      usingMetrics: {
        errors: api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }),
        requests: api.metricCount({ period: FIVE_MINUTES, statistic: 'Sum' }),
      },
      label: '5xx % of requests (once 5 have failed)',
      period: FIVE_MINUTES,
    });
    this.add('Api5xx', serverErrorShare, {
      threshold: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription:
        'At least 1% of API requests (and at least 5) answered 5xx in 5 minutes. Find the failing route in the API access log (status, integrationError) and the function log by requestId; a 503 or 504 with no function log means a timeout or throttling.',
    });
    // The heaviest synchronous call measured (a check of 1 000 codes) takes about 0.3 s and an exit
    // confirmation's p99 0.5–0.7 s on DynamoDB Local; a cold start adds about a second. A p99 above 3 s
    // for 15 minutes is every user waiting, not one cold start.
    this.add('ApiLatency', api.metricLatency({ period: FIVE_MINUTES, statistic: 'p99' }), {
      threshold: 3_000,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription:
        'The API’s p99 latency stayed above 3 seconds for 15 minutes. Compare Latency with IntegrationLatency on the dashboard: if the functions are slow, look for table throttling or a slow route in the access log (responseLatency); functions time out at 29 s.',
    });
  }

  private tableAlarms(table: dynamodb.ITable): void {
    // The SDK retries a throttled request, so a single throttle costs only latency (and one that fails
    // after its retries is a function error). Throttles in two periods running are a hot key or the
    // on-demand ceiling, and with a third reader on the stream, GetRecords throttles too.
    this.add('TableThrottles', sumOverOperations(table, 'ThrottledRequests'), {
      threshold: 1,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription:
        'DynamoDB throttled requests on the table in 10 minutes running. See the dashboard for the operation; a hot key (the district counters: raise counterShards), a burst above what the on-demand table has served before (set warm throughput before a province-wide load), or a third reader of the stream.',
    });
    // Internal errors of DynamoDB itself (HTTP 500): the SDK retries them and a few a day are normal;
    // five in 5 minutes is the service having trouble, not our code.
    this.add('TableSystemErrors', sumOverOperations(table, 'SystemErrors'), {
      threshold: 5,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription:
        'DynamoDB answered at least 5 requests with an internal server error in 5 minutes. This is on the service side: check the AWS Health Dashboard for the region; failed imports and stream batches retry on their own, look at the dead-letter queues afterwards.',
    });
  }
}

type AlarmOptions = Omit<cloudwatch.CreateAlarmOptions, 'comparisonOperator' | 'evaluationPeriods'> &
  Partial<Pick<cloudwatch.CreateAlarmOptions, 'evaluationPeriods'>>;

/** Adds the alarms and the dashboard to the stack. */
export function addOperations(scope: Construct, props: OperationsProps): Operations {
  return new Operations(scope, 'Operations', props);
}

/** Every SQS queue in the stack, labelled by its path in the stack, so a new queue shows up on its own. */
export function queuesIn(stack: Stack): Record<string, sqs.IQueue> {
  return Object.fromEntries(
    stack.node
      .findAll()
      .filter((construct): construct is sqs.Queue => construct instanceof sqs.Queue)
      .map((queue) => [pathInStack(stack, queue), queue]),
  );
}

function pathInStack(stack: Stack, construct: IConstruct): string {
  return construct.node.path.slice(stack.node.path.length + 1);
}

function capitalized(job: string): string {
  return job.charAt(0).toUpperCase() + job.slice(1);
}
