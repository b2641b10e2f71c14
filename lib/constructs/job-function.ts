/**
 * One construct for every Lambda of the system. It pins what must be the same everywhere (runtime,
 * architecture, bundling, log group, source maps) and binds resources through methods that grant
 * access and set the environment variable in one call, so IAM and configuration never drift apart.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, DockerImage, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '#shared/env-names.ts';
import { GSI } from '#storage/table-definition.ts';
import { BUNDLE_ENTRY_FILE, bundleLambda } from './lambda-bundle.ts';

/** The repository root: entries, package.json (`imports`), tsconfig.json and the lock file live here. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface JobFunctionProps {
  /** The handler's entry file, relative to the project root (`functions/api/handler.ts`) or absolute. It must export `handler`. */
  readonly entry: string;
  /** What the function does, shown in the console. */
  readonly description?: string;
  /**
   * Memory in MB; Lambda gives CPU in proportion, so parsing and bundle start-up get faster with it.
   * @default 1024
   */
  readonly memorySize?: number;
  /**
   * How long one invocation may run.
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;
  /**
   * Retention of the function's own log group.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * X-Ray active tracing.
   * @default false
   */
  readonly tracing?: boolean;
  /**
   * Node flags beside `--enable-source-maps` (in `NODE_OPTIONS`), e.g. heap limits for a function whose
   * live memory is bounded.
   * @default - none
   */
  readonly nodeOptions?: readonly string[];
  /** Extra environment variables; resources are bound with the `bind*` methods instead. */
  readonly environment?: Record<string, string>;
  /**
   * Where asynchronous invocations that still fail after their retries are kept, so they can be
   * inspected and replayed.
   * @default - none
   */
  readonly deadLetterQueue?: sqs.IQueue;
  /**
   * Retries of an asynchronous invocation that failed (0 to 2).
   * @default 2 (Lambda's default)
   */
  readonly retryAttempts?: number;
}

/** How a function may use the table. */
export type TableAccess = 'read' | 'readWrite';

/** How a function may use objects of a bucket (under a key pattern). */
export type BucketAccess = 'read' | 'put' | 'readWrite' | 'readWriteDelete';

const TABLE_READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  // a SELECT naming its partitions (the check reads the listings of 50 subjects in one statement)
  'dynamodb:PartiQLSelect',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];
const TABLE_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

const OBJECT_ACTIONS: Record<BucketAccess, readonly string[]> = {
  read: ['s3:GetObject'],
  put: ['s3:PutObject', 's3:AbortMultipartUpload'],
  readWrite: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
  readWriteDelete: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:DeleteObject'],
};

/** A Node.js 24 arm64 Lambda bundled by esbuild, with its own log group and its own role. */
export class JobFunction extends Construct {
  readonly function: lambda.Function;
  readonly logGroup: logs.LogGroup;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: JobFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Our own role instead of the default one: the log group exists already, so the function needs to
    // write to it and nothing else (no AWSLambdaBasicExecutionRole with logs:CreateLogGroup on *).
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runtime role of ${id}`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new lambda.Function(this, 'Function', {
      code: bundledCode(props.entry),
      handler: `${BUNDLE_ENTRY_FILE.replace(/\.mjs$/, '')}.handler`,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(30),
      role: this.role,
      logGroup: this.logGroup,
      tracing: props.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      description: props.description,
      deadLetterQueue: props.deadLetterQueue,
      retryAttempts: props.retryAttempts,
      environment: {
        NODE_OPTIONS: ['--enable-source-maps', ...(props.nodeOptions ?? [])].join(' '),
        ...props.environment,
      },
    });

    if (props.tracing) {
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions.',
      });
    }
  }

  /** Grants table access (the table and each GSI of the table definition, by name) and sets TABLE_NAME. */
  bindTable(table: dynamodb.ITable, access: TableAccess): this {
    const resources = [
      table.tableArn,
      ...Object.values(GSI).map((index) => `${table.tableArn}/index/${index.indexName}`),
    ];
    const actions =
      access === 'readWrite' ? [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS] : TABLE_READ_ACTIONS;
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources }));
    this.function.addEnvironment(ENV.tableName, table.tableName);
    return this;
  }

  /** Sets the write shards of the district counters, for a function that moves or reads them. */
  bindCounters(shards: number): this {
    this.function.addEnvironment(ENV.counterShards, String(shards));
    return this;
  }

  /**
   * Grants access to the bucket's objects under `keyPattern` (and listing of that prefix) and sets
   * BUCKET_NAME. Call it once per prefix when a function needs different access under different prefixes.
   */
  bindBucket(bucket: s3.IBucket, access: BucketAccess, keyPattern = '*'): this {
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [...OBJECT_ACTIONS[access]],
        resources: [bucket.arnForObjects(keyPattern)],
      }),
    );
    if (access !== 'put') {
      // Without ListBucket a missing key answers 403 instead of 404.
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
          ...(keyPattern === '*' ? {} : { conditions: { StringLike: { 's3:prefix': [keyPattern] } } }),
        }),
      );
    }
    this.function.addEnvironment(ENV.bucketName, bucket.bucketName);
    return this;
  }

  /** Grants SendMessage on the queue and puts its URL into `envName`. */
  bindQueueSender(queue: sqs.IQueue, envName: string): this {
    queue.grantSendMessages(this.role);
    this.function.addEnvironment(envName, queue.queueUrl);
    return this;
  }

  /**
   * Grants invoking the other function (its unqualified ARN only: we never call versions or aliases)
   * and puts its name into `envName`.
   */
  bindInvoke(target: lambda.IFunction, envName: string): this {
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [target.functionArn] }),
    );
    this.function.addEnvironment(envName, target.functionName);
    return this;
  }
}

/**
 * The function's asset: its entry bundled by esbuild on this machine (lambda-bundle.ts), split into
 * chunks so that rarely used paths load on first use. The asset hash is the output's, as with
 * NodejsFunction; a stack that skips bundling (`aws:cdk:bundling-stacks`) hashes the options instead.
 */
function bundledCode(entry: string): lambda.Code {
  const absoluteEntry = resolve(PROJECT_ROOT, entry);
  return lambda.Code.fromAsset(PROJECT_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never pulled: local bundling always succeeds or fails the synth.
      image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs24.x'),
      local: new LocalEsbuild(absoluteEntry),
    },
  });
}

class LocalEsbuild {
  // a field, so that the options' fingerprint (when bundling is skipped) differs by entry
  constructor(readonly entry: string) {}

  tryBundle(outputDir: string): boolean {
    bundleLambda(this.entry, PROJECT_ROOT, outputDir);
    return true;
  }
}
