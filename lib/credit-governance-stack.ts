/**
 * The whole system in one stack: the table, the drop folder and its queue, one Lambda per job, the
 * HTTP API with its JWT authorizer, the monthly evaluation and the daily triage schedules. Nothing names a partition,
 * region or account: ARNs come from the resources or from `Aws.*`, so it deploys to the China regions too.
 */

import { CfnOutput, Duration, Lazy, Stack, type StackProps } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { DROP_PREFIX } from '#shared/drop-folder.ts';
import { ENV } from '#shared/env-names.ts';
import { IMPORT_WORKER_NODE_OPTIONS } from '#shared/limits.ts';
import { DEFAULT_COUNTER_SHARDS } from '#storage/counter-store.ts';
import { addChangeTrail } from './constructs/change-trail.ts';
import { addConsoleSite, type ConsoleSiteSettings } from './constructs/console-site.ts';
import { type ApiThrottle, CreditApi } from './constructs/credit-api.ts';
import { createCreditTable } from './constructs/credit-table.ts';
import { DropFolder } from './constructs/drop-folder.ts';
import { addFailureRoutes } from './constructs/failure-routes.ts';
import { JobFunction, PROJECT_ROOT } from './constructs/job-function.ts';
import { scheduleJob } from './constructs/job-schedule.ts';
import { addOperations, queuesIn } from './constructs/operations.ts';
import { addTriage } from './constructs/triage.ts';
import { requireSignIn, type SignInSettings, UserDirectory } from './constructs/user-directory.ts';
import { acknowledgeStackFindings } from './stack-acknowledgements.ts';

/** 02:00 on the 1st of every month (in Asia/Shanghai): evaluates the month that just ended. */
export const MONTHLY_EVALUATION_CRON = 'cron(0 2 1 * ? *)';

/** Where each job's handler lives, relative to the project root. */
export const JOB_ENTRIES = {
  api: 'functions/api/handler.ts',
  exits: 'functions/exits/handler.ts',
  import: 'functions/import/handler.ts',
  classify: 'functions/classify/handler.ts',
  evaluate: 'functions/evaluate/handler.ts',
  trail: 'functions/trail/handler.ts',
} as const;

export type JobName = keyof typeof JOB_ENTRIES;

/** The import worker may run for Lambda's maximum; bigger files are split into chunks that re-queue. */
const IMPORT_WORKER_TIMEOUT = Duration.minutes(15);

export interface CreditGovernanceStackProps extends StackProps {
  /**
   * Days a file under `processed/` or `rejected/` in the drop folder is kept.
   * @default 90
   */
  readonly dropFileRetentionDays?: number;
  /**
   * Retention of every log group (functions and API access log).
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Issuer of the tokens the API accepts. When set, no Cognito user pool is created and
   * `jwtAudience` must name the accepted audiences.
   * @default - the issuer of a user pool created in this stack
   */
  readonly jwtIssuer?: string;
  /**
   * Audiences (`aud`, or `client_id` of access tokens) accepted with `jwtIssuer`.
   * @default - the client of the user pool created in this stack
   */
  readonly jwtAudience?: readonly string[];
  /**
   * The user pool's hosted sign-in (callback and logout URLs, domain prefix); required without
   * `jwtIssuer`. `LOCAL_ONLY_SIGN_IN` for a synth or trial that signs in on localhost only.
   */
  readonly signIn?: SignInSettings;
  /**
   * X-Ray active tracing on every function.
   * @default false
   */
  readonly tracing?: boolean;
  /**
   * Stage-wide API throttling.
   * @default { rateLimit: 100, burstLimit: 200 }
   */
  readonly apiThrottle?: ApiThrottle;
  /**
   * Browser origins allowed to call the API, besides the console's.
   * @default - only the console's origin; CORS off without a console
   */
  readonly corsAllowOrigins?: readonly string[];
  /** The offices' console, deployed when the user pool has a hosted UI domain (console-site.ts). */
  readonly console?: ConsoleSiteSettings;
  /**
   * An address subscribed to the alarm topic (it must confirm the subscription).
   * @default - no subscription; subscribe to the AlarmTopicArn output
   */
  readonly alarmEmail?: string;
  /**
   * Write shards of each district's counters: parallel import chunks update different items, and
   * readers sum the shards. Raise it (more parallel writers), never lower it: shards above the new
   * count would no longer be read.
   * @default DEFAULT_COUNTER_SHARDS (8)
   */
  readonly counterShards?: number;
  /**
   * Other entry files for some jobs (relative to the project root or absolute), e.g. a stub in a
   * test while a handler is still being written.
   * @default JOB_ENTRIES
   */
  readonly entries?: Partial<Record<JobName, string>>;
}

export class CreditGovernanceStack extends Stack {
  /** The Lambda of each job. */
  readonly jobs: Readonly<Record<JobName, JobFunction>>;

  constructor(scope: Construct, id: string, props: CreditGovernanceStackProps = {}) {
    super(scope, id, props);

    if (props.jwtIssuer !== undefined && !props.jwtAudience?.length) {
      throw new Error('jwtAudience is required when jwtIssuer is set');
    }
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;
    const tracing = props.tracing ?? false;
    const fileRetention = Duration.days(props.dropFileRetentionDays ?? 90);

    const table = createCreditTable(this, 'Table');

    const dropFolder = new DropFolder(this, 'DropFolder', {
      fileRetention,
      accessLogRetention: Duration.days(365),
      workerTimeout: IMPORT_WORKER_TIMEOUT,
    });
    const { bucket, queue } = dropFolder;

    const { alarmTopic, jobsDeadLetterQueue } = addFailureRoutes(this, props.alarmEmail, [
      dropFolder.deadLetterAlarm,
    ]);

    const common = { logRetention, tracing };
    const counterShards = props.counterShards ?? DEFAULT_COUNTER_SHARDS;
    const entry = (job: JobName) => props.entries?.[job] ?? JOB_ENTRIES[job];

    const classify = addTriage(this, table, {
      ...common,
      entry: entry('classify'),
      counterShards,
      alarmTopic,
      jobsDeadLetterQueue,
    });

    const evaluate = new JobFunction(this, 'Evaluate', {
      ...common,
      entry: entry('evaluate'),
      description: 'Monthly evaluation: ratios, ranking, targets, drift check, reports',
      timeout: Duration.minutes(10),
      // npm run bench -- --memory: 198 MB peak RSS for a city of 18 000 listed subjects with its reports
      memorySize: 512,
      deadLetterQueue: jobsDeadLetterQueue,
    })
      .bindTable(table, 'readWrite')
      .bindCounters(counterShards)
      .bindBucket(bucket, 'put', `${DROP_PREFIX.reports}*`);

    const importWorker = new JobFunction(this, 'Import', {
      ...common,
      entry: entry('import'),
      description: 'Import worker: one drop-folder file (or chunk of one) per SQS message',
      timeout: IMPORT_WORKER_TIMEOUT,
      nodeOptions: IMPORT_WORKER_NODE_OPTIONS,
      // 152-157 MB peak RSS at 30 000 rows (npm run bench), so 512 MB would hold it; 1 024 MB is for the
      // CPU Lambda gives with it: parsing is CPU-bound and a 100 000-row push must end within the timeout
      memorySize: 1024,
    })
      .bindTable(table, 'readWrite')
      .bindCounters(counterShards)
      // Reads incoming/, moves files to processed/ or rejected/ (copy, then delete).
      .bindBucket(bucket, 'readWriteDelete')
      .bindQueueSender(queue, ENV.importQueueUrl);
    importWorker.function.addEventSource(
      new SqsEventSource(queue, {
        batchSize: 1,
        reportBatchItemFailures: true,
        // chunks of a large file run in parallel up to this many workers: each transaction also moves
        // district counters, and more writers than counter shards would meet on the same items
        maxConcurrency: Math.max(2, counterShards),
      }),
    );

    const api = new JobFunction(this, 'Api', {
      ...common,
      entry: entry('api'),
      description: 'HTTP API: imports, subjects, listings, checks, evaluations',
      timeout: Duration.seconds(29),
      // npm run bench -- --memory: the whole city's 台账 as XLSX (18 000 rows) peaks at about 600 MB RSS;
      // a 1 000-code check at 140 MB
      memorySize: 1024,
    })
      .bindTable(table, 'readWrite')
      .bindCounters(counterShards)
      // Presigned PUT URLs are signed with the function's credentials: it may only put under incoming/.
      .bindBucket(bucket, 'put', `${DROP_PREFIX.incoming}*`)
      .bindBucket(bucket, 'read', `${DROP_PREFIX.reports}*`)
      // A held push released by the city goes back to the import worker through the queue.
      .bindQueueSender(queue, ENV.importQueueUrl)
      .bindInvoke(evaluate.function, ENV.evaluateFunctionName);

    const exits = new JobFunction(this, 'Exits', {
      ...common,
      entry: entry('exits'),
      description: 'HTTP API: exit submissions, reviews, confirmations, report batches',
      timeout: Duration.seconds(29),
      // npm run bench -- --memory: 117 MB peak RSS for a queue page; its work is one exit at a time
      memorySize: 512,
    })
      .bindTable(table, 'readWrite')
      .bindCounters(counterShards)
      // Presigned PUT URLs for evidence files, and reading them back to check their SHA-256.
      .bindBucket(bucket, 'put', `${DROP_PREFIX.evidence}*`)
      .bindBucket(bucket, 'read', `${DROP_PREFIX.evidence}*`);

    const trail = addChangeTrail(this, table, { ...common, entry: entry('trail') }, alarmTopic);

    this.jobs = { api, exits, import: importWorker, classify, evaluate, trail };

    const users =
      props.jwtIssuer === undefined
        ? new UserDirectory(this, 'Users', { signIn: requireSignIn(props.signIn) })
        : undefined;
    const jwtIssuer = props.jwtIssuer ?? users?.issuer ?? '';
    const jwtAudience = props.jwtAudience ?? (users ? [users.client.userPoolClientId] : []);
    // The API needs the console's origin for CORS, so the console comes first and reads the API's URL lazily.
    const consoleSite =
      users &&
      addConsoleSite(this, {
        settings: props.console,
        projectRoot: PROJECT_ROOT,
        users,
        apiUrl: Lazy.string({ produce: (): string => httpApi.url }),
        dropFolder,
        logRetention,
      });

    const httpApi = new CreditApi(this, 'HttpApi', {
      handlers: { api: api.function, exits: exits.function },
      jwtIssuer,
      jwtAudience,
      throttle: props.apiThrottle ?? { rateLimit: 100, burstLimit: 200 },
      logRetention,
      corsAllowOrigins: consoleSite
        ? [consoleSite.origin, ...(props.corsAllowOrigins ?? [])]
        : props.corsAllowOrigins,
    });

    scheduleJob(this, 'MonthlyEvaluation', {
      description: 'Evaluates the month that just ended',
      cron: MONTHLY_EVALUATION_CRON,
      job: evaluate.function,
      role: {
        id: 'MonthlyEvaluationRole',
        description: 'Lets EventBridge Scheduler invoke the monthly evaluation',
      },
      deadLetterQueue: jobsDeadLetterQueue,
    });

    acknowledgeStackFindings(this, { bucket, evaluate: evaluate.function, classify: classify.function });

    // last, so the dashboard sees every queue and alarm of the stack
    addOperations(this, {
      functions: this.jobs,
      api: httpApi.httpApi,
      table,
      queues: queuesIn(this),
      alarmTopic,
    });

    new CfnOutput(this, 'ApiUrl', { value: httpApi.url });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'BucketName', { value: bucket.bucketName });
    new CfnOutput(this, 'ImportQueueUrl', { value: queue.queueUrl });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarmTopic.topicArn });
    new CfnOutput(this, 'JwtIssuer', { value: jwtIssuer });
    if (users) {
      new CfnOutput(this, 'UserPoolId', { value: users.userPool.userPoolId });
      new CfnOutput(this, 'UserPoolClientId', { value: users.client.userPoolClientId });
    }
  }
}
