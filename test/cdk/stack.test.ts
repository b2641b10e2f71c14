/**
 * What the stack must be, asserted on the synthesized template: keys and indexes from the shared table
 * definition, a private SSL-only drop folder, S3 → SQS (+ DLQ, alarm) → worker, every Lambda pinned,
 * the HTTP API equal to the shared route table, the monthly schedule, log retention, and no partition
 * literal anywhere.
 */

import type { CfnElement } from 'aws-cdk-lib';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUDITED_TYPES } from '#domain/trail.ts';
import { ENV } from '#shared/env-names.ts';
import { IMPORT_WORKER_NODE_OPTIONS, TRAIL_STREAM_PARALLELIZATION } from '#shared/limits.ts';
import { ROUTES, routeKey } from '#shared/routes.ts';
import { createTableInput, GSI, TIME_TO_LIVE_ATTRIBUTE } from '#storage/table-definition.ts';
import { TRIAGE_STREAM_TYPES } from '../../functions/classify/stream-records.ts';
import { DAILY_TRIAGE_CRON } from '../../lib/constructs/triage.ts';
import {
  type CreditGovernanceStack,
  type JobName,
  MONTHLY_EVALUATION_CRON,
} from '../../lib/credit-governance-stack.ts';
import { buildStack } from './build-stack.ts';

// biome-ignore lint/suspicious/noExplicitAny: a synthesized template is untyped JSON; the assertions are its types.
type Json = any;
type Resource = { Type: string; Properties: Record<string, Json>; DeletionPolicy?: string };
type Statement = { Action: string | string[]; Resource: unknown };

const JOBS: readonly JobName[] = ['api', 'exits', 'import', 'classify', 'evaluate', 'trail'];

function logicalId(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

function only(resources: Record<string, Resource>): [string, Resource] {
  const entries = Object.entries(resources);
  expect(entries).toHaveLength(1);
  return entries[0] as [string, Resource];
}

/** The policy statements attached to a job's role. */
function statementsOf(template: Template, stack: CreditGovernanceStack, job: JobName): Statement[] {
  const roleId = logicalId(stack.jobs[job].role);
  const policies = Object.values(
    template.findResources('AWS::IAM::Policy') as Record<string, Resource>,
  ).filter((policy) => policy.Properties.Roles.some((role: { Ref?: string }) => role.Ref === roleId));
  return policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

describe('CreditGovernanceStack', () => {
  let stack: CreditGovernanceStack;
  let template: Template;
  let bucketId: string;

  beforeAll(() => {
    // Prepare / Act: the stack with its defaults, bundling skipped.
    stack = buildStack();
    template = Template.fromStack(stack);
    bucketId =
      Object.keys(
        template.findResources('AWS::S3::Bucket', {
          Properties: { VersioningConfiguration: Match.anyValue() },
        }),
      )[0] ?? '';
  });

  describe('table', () => {
    it('has the keys and every GSI of the shared table definition, each with its projection', () => {
      const expected = createTableInput('unused');
      const [, table] = only(template.findResources('AWS::DynamoDB::Table') as Record<string, Resource>);

      expect(table.Properties.KeySchema).toEqual(expected.KeySchema);
      expect(new Set(table.Properties.AttributeDefinitions.map(JSON.stringify))).toEqual(
        new Set(expected.AttributeDefinitions.map((definition) => JSON.stringify(definition))),
      );
      expect(table.Properties.GlobalSecondaryIndexes).toHaveLength(Object.keys(GSI).length);
      expect(Object.keys(GSI).length).toBeGreaterThanOrEqual(5);
      expect(table.Properties.GlobalSecondaryIndexes).toEqual(
        expect.arrayContaining(expected.GlobalSecondaryIndexes),
      );
    });

    it('projects on each GSI only what its queries read (ALL where they read whole items)', () => {
      const [, table] = only(template.findResources('AWS::DynamoDB::Table') as Record<string, Resource>);
      const projections = Object.fromEntries(
        (table.Properties.GlobalSecondaryIndexes as { IndexName: string; Projection: unknown }[]).map(
          (index) => [index.IndexName, index.Projection],
        ),
      );

      expect(projections).toEqual({
        GSI1: { ProjectionType: 'ALL' },
        GSI2: { ProjectionType: 'ALL' },
        GSI3: { ProjectionType: 'ALL' },
        GSI4: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['uscc', 'district', 'activeListings'] },
        GSI5: { ProjectionType: 'KEYS_ONLY' },
        GSI6: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['uscc', 'activeListings'] },
        GSI7: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['uscc', 'listType', 'key'] },
      });
      for (const index of Object.values(GSI)) expect(index.projectionReason.length).toBeGreaterThan(40);
    });

    it('is on demand, with PITR, encryption at rest, deletion protection and kept on stack removal', () => {
      const [, table] = only(template.findResources('AWS::DynamoDB::Table') as Record<string, Resource>);

      expect(table.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
      });
      expect(table.DeletionPolicy).toBe('Retain');
    });

    it('expires items on the TTL attribute of the shared table definition (idempotency records)', () => {
      const [, table] = only(template.findResources('AWS::DynamoDB::Table') as Record<string, Resource>);

      expect(table.Properties).toMatchObject({
        TimeToLiveSpecification: { AttributeName: TIME_TO_LIVE_ATTRIBUTE, Enabled: true },
      });
      expect(TIME_TO_LIVE_ATTRIBUTE).toBe('expiresAt');
    });
  });

  describe('drop-folder bucket', () => {
    it('blocks public access, is encrypted and versioned, and logs access to a separate bucket', () => {
      template.hasResource('AWS::S3::Bucket', {
        Properties: {
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
            ],
          },
          VersioningConfiguration: { Status: 'Enabled' },
          LoggingConfiguration: { DestinationBucketName: { Ref: Match.anyValue() } },
        },
        DeletionPolicy: 'Retain',
      });
    });

    it('refuses every request that is not over TLS', () => {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: bucketId },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    });

    it('expires processed/ and rejected/ files after the retention, 90 days by default', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({ Prefix: 'processed/', ExpirationInDays: 90, Status: 'Enabled' }),
            Match.objectLike({ Prefix: 'rejected/', ExpirationInDays: 90, Status: 'Enabled' }),
          ]),
        },
      });
    });

    it('takes the retention from the stack props', () => {
      const shorter = Template.fromStack(buildStack({ dropFileRetentionDays: 30 }));

      shorter.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: {
          Rules: Match.arrayWith([Match.objectLike({ Prefix: 'processed/', ExpirationInDays: 30 })]),
        },
      });
    });
  });

  describe('counters', () => {
    it('gives every function that moves or reads counters the shard count, and caps parallel imports at it', () => {
      const resources = template.toJSON().Resources as Record<string, Resource>;
      for (const job of ['api', 'exits', 'import', 'classify', 'evaluate'] as const) {
        const variables = resources[logicalId(stack.jobs[job].function)]?.Properties.Environment as {
          Variables: Record<string, string>;
        };
        expect(variables.Variables.COUNTER_SHARDS).toBe('8');
      }
      const mappings = Object.values(
        template.findResources('AWS::Lambda::EventSourceMapping', {
          Properties: { FunctionName: { Ref: logicalId(stack.jobs.import.function) } },
        }) as Record<string, Resource>,
      );
      expect(mappings[0]?.Properties.ScalingConfig).toEqual({ MaximumConcurrency: 8 });
    });

    it('takes the shard count from the stack props', () => {
      const wider = Template.fromStack(buildStack({ counterShards: 16 }));
      wider.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ COUNTER_SHARDS: '16' }) },
      });
    });
  });

  describe('table stream → trail', () => {
    it('streams both images of every change', () => {
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      });
    });

    /** The stream mapping of a function: the trail's and triage's each have their own. */
    function streamMappingOf(fn: IConstruct) {
      const mappings = template.findResources('AWS::Lambda::EventSourceMapping', {
        Properties: { StartingPosition: 'TRIM_HORIZON', FunctionName: { Ref: logicalId(fn) } },
      }) as Record<string, Resource>;
      expect(Object.keys(mappings)).toHaveLength(1);
      const [mapping] = Object.values(mappings);
      const criteria = mapping?.Properties.FilterCriteria as { Filters: { Pattern: string }[] } | undefined;
      return { mapping, pattern: JSON.parse(criteria?.Filters[0]?.Pattern ?? '{}') };
    }

    const STREAM_SETTINGS = {
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 1,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    };

    it('feeds the trail audited item types only, with retries, bisection, partial responses and a failure queue', () => {
      const { mapping, pattern } = streamMappingOf(stack.jobs.trail.function);
      expect(mapping?.Properties).toMatchObject({
        ...STREAM_SETTINGS,
        DestinationConfig: {
          OnFailure: { Destination: { 'Fn::GetAtt': [expect.stringMatching(/^TrailFailureQueue/), 'Arn'] } },
        },
      });
      expect(pattern).toEqual({ dynamodb: { NewImage: { type: { S: [...AUDITED_TYPES] } } } });
      expect(pattern.dynamodb.NewImage.type.S).not.toContain('audit');
      // batches of a shard in parallel lanes, as the local reader runs it; triage keeps one at a time
      expect(mapping?.Properties.ParallelizationFactor).toBe(TRAIL_STREAM_PARALLELIZATION);
      expect(
        streamMappingOf(stack.jobs.classify.function).mapping?.Properties.ParallelizationFactor,
      ).toBeUndefined();
    });

    it('feeds triage the listings, subjects, re-triage runs and campaigns, with its own failure queue', () => {
      const { mapping, pattern } = streamMappingOf(stack.jobs.classify.function);
      expect(mapping?.Properties).toMatchObject({
        ...STREAM_SETTINGS,
        DestinationConfig: {
          OnFailure: {
            Destination: { 'Fn::GetAtt': [expect.stringMatching(/^ClassifyFailureQueue/), 'Arn'] },
          },
        },
      });
      expect(pattern).toEqual({ dynamodb: { NewImage: { type: { S: [...TRIAGE_STREAM_TYPES] } } } });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmDescription: Match.stringLikeRegexp('triage could not handle'),
        Threshold: 0,
      });
    });

    it('raises an alarm when a batch lands on the failure queue', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmDescription: Match.stringLikeRegexp('trail could not write'),
        Threshold: 0,
      });
    });
  });

  describe('S3 → SQS → import worker', () => {
    it('sends ObjectCreated events under incoming/ to the import queue', () => {
      const [queueId] = Object.keys(
        template.findResources('AWS::SQS::Queue', { Properties: { RedrivePolicy: Match.anyValue() } }),
      );

      template.hasResourceProperties('Custom::S3BucketNotifications', {
        BucketName: { Ref: bucketId },
        NotificationConfiguration: {
          QueueConfigurations: [
            {
              Events: ['s3:ObjectCreated:*'],
              Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'incoming/' }] } },
              QueueArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
            },
          ],
        },
      });
    });

    it('redrives to an encrypted DLQ after five receives and hides a message for 6× the worker timeout', () => {
      const [, queue] = only(
        template.findResources('AWS::SQS::Queue', {
          Properties: { RedrivePolicy: Match.anyValue() },
        }) as Record<string, Resource>,
      );
      const importFunction = template.toJSON().Resources[logicalId(stack.jobs.import.function)] as Resource;

      expect(queue.Properties.RedrivePolicy.maxReceiveCount).toBe(5);
      expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
      expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(
        6 * importFunction.Properties.Timeout,
      );
      const dlqId = queue.Properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0];
      template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
      expect(template.toJSON().Resources[dlqId].Properties.SqsManagedSseEnabled).toBe(true);
    });

    it('raises an alarm as soon as a message is visible in the DLQ', () => {
      const [, queue] = only(
        template.findResources('AWS::SQS::Queue', {
          Properties: { RedrivePolicy: Match.anyValue() },
        }) as Record<string, Resource>,
      );
      const dlqId = queue.Properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0];

      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        AlarmActions: [{ Ref: Match.anyValue() }],
      });
    });

    it('feeds the import worker one message at a time and reports partial batch failures', () => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: logicalId(stack.jobs.import.function) },
        BatchSize: 1,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    });

    it('lets the worker re-queue chunks and delete moved files', () => {
      const env =
        template.toJSON().Resources[logicalId(stack.jobs.import.function)].Properties.Environment.Variables;
      const actions = statementsOf(template, stack, 'import').flatMap(actionsOf);

      expect(Object.keys(env)).toEqual(
        expect.arrayContaining([ENV.tableName, ENV.bucketName, ENV.importQueueUrl]),
      );
      expect(actions).toEqual(
        expect.arrayContaining(['sqs:SendMessage', 's3:GetObject', 's3:PutObject', 's3:DeleteObject']),
      );
    });
  });

  describe('functions', () => {
    it('runs every job on nodejs24.x and arm64 with TABLE_NAME and source maps', () => {
      const [tableId] = only(template.findResources('AWS::DynamoDB::Table') as Record<string, Resource>);
      for (const job of JOBS) {
        const fn = template.toJSON().Resources[logicalId(stack.jobs[job].function)] as Resource;

        expect(fn.Properties.Runtime, job).toBe('nodejs24.x');
        expect(fn.Properties.Architectures, job).toEqual(['arm64']);
        expect(fn.Properties.Handler, job).toBe('index.handler');
        expect(fn.Properties.Environment.Variables, job).toMatchObject({ [ENV.tableName]: { Ref: tableId } });
        expect(fn.Properties.Environment.Variables.NODE_OPTIONS, job).toContain('--enable-source-maps');
        // the import worker runs with the heap flags the bench measures under
        if (job === 'import') {
          for (const flag of IMPORT_WORKER_NODE_OPTIONS) {
            expect(fn.Properties.Environment.Variables.NODE_OPTIONS).toContain(flag);
          }
        }
        expect(fn.Properties.LoggingConfig.LogGroup, job).toEqual({
          Ref: logicalId(stack.jobs[job].logGroup),
        });
      }
    });

    it('uses no AWS-managed policy on any job role', () => {
      for (const job of JOBS) {
        const role = template.toJSON().Resources[logicalId(stack.jobs[job].role)] as Resource;
        expect(role.Properties.ManagedPolicyArns, job).toBeUndefined();
      }
    });

    it('lets the API put only under incoming/, read reports and start evaluate', () => {
      const statements = statementsOf(template, stack, 'api');
      const put = statements.find((statement) => actionsOf(statement).includes('s3:PutObject'));
      const env =
        template.toJSON().Resources[logicalId(stack.jobs.api.function)].Properties.Environment.Variables;

      expect(put?.Resource).toEqual({
        'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/incoming/*']],
      });
      expect(Object.keys(env)).toEqual(
        expect.arrayContaining([ENV.bucketName, ENV.evaluateFunctionName, ENV.importQueueUrl]),
      );
    });

    it('lets evaluate write reports under reports/ only', () => {
      const put = statementsOf(template, stack, 'evaluate').find((statement) =>
        actionsOf(statement).includes('s3:PutObject'),
      );

      expect(put?.Resource).toEqual({
        'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/reports/*']],
      });
    });
  });

  describe('HTTP API', () => {
    it('has exactly the routes of routes.ts', () => {
      const routes = Object.values(
        template.findResources('AWS::ApiGatewayV2::Route') as Record<string, Resource>,
      );

      expect(routes).toHaveLength(ROUTES.length);
      expect(routes.map((route) => route.Properties.RouteKey).sort()).toEqual(ROUTES.map(routeKey).sort());
    });

    it('sends each route to its function, behind the JWT authorizer unless public', () => {
      const resources = template.toJSON().Resources as Record<string, Resource>;
      const [authorizerId] = Object.keys(template.findResources('AWS::ApiGatewayV2::Authorizer'));
      const functionOfIntegration = (target: Json): string => {
        const integrationId = target['Fn::Join'][1][1].Ref as string;
        return resources[integrationId]?.Properties.IntegrationUri['Fn::GetAtt'][0];
      };

      for (const route of ROUTES) {
        const [, resource] = only(
          template.findResources('AWS::ApiGatewayV2::Route', {
            Properties: { RouteKey: routeKey(route) },
          }) as Record<string, Resource>,
        );
        expect(functionOfIntegration(resource.Properties.Target), routeKey(route)).toBe(
          logicalId(stack.jobs[route.function].function),
        );
        if (route.public) {
          expect(resource.Properties.AuthorizationType, routeKey(route)).toBe('NONE');
        } else {
          expect(resource.Properties, routeKey(route)).toMatchObject({
            AuthorizationType: 'JWT',
            AuthorizerId: { Ref: authorizerId },
          });
        }
      }
    });

    it('validates JWTs of the stack user pool and its client by default', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: {
          Issuer: { 'Fn::GetAtt': [Match.anyValue(), 'ProviderURL'] },
          Audience: [{ Ref: Match.anyValue() }],
        },
      });
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        MfaConfiguration: 'ON',
        UserPoolTier: 'PLUS',
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireSymbols: true }) },
        Schema: Match.arrayWith([
          Match.objectLike({ Name: 'role' }),
          Match.objectLike({ Name: 'district' }),
          Match.objectLike({ Name: 'department' }),
        ]),
      });
    });

    it('never lets a user write their own scope attributes', () => {
      const [, client] = only(
        template.findResources('AWS::Cognito::UserPoolClient') as Record<string, Resource>,
      );

      expect(client.Properties.WriteAttributes).not.toEqual(
        expect.arrayContaining([expect.stringMatching(/^custom:/)]),
      );
      expect(client.Properties.ReadAttributes).toEqual(
        expect.arrayContaining(['custom:role', 'custom:district', 'custom:department']),
      );
    });

    it('accepts an external issuer instead, and then creates no user pool', () => {
      const external = Template.fromStack(
        buildStack({ jwtIssuer: 'https://idp.example.gov.cn/realms/credit', jwtAudience: ['credit-api'] }),
      );

      external.resourceCountIs('AWS::Cognito::UserPool', 0);
      external.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        JwtConfiguration: { Issuer: 'https://idp.example.gov.cn/realms/credit', Audience: ['credit-api'] },
      });
    });

    it("logs access to a log group and throttles the stage; CORS for the console's origin only", () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        AccessLogSettings: {
          DestinationArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
          Format: Match.stringLikeRegexp('\\$context\\.requestId'),
        },
        DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
      });
      // the one origin is the console's (console-site.test.ts)
      template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        CorsConfiguration: { AllowOrigins: [Match.anyValue()] },
      });
    });
  });

  describe('schedules', () => {
    function scheduleOf(fn: IConstruct) {
      const schedules = Object.entries(
        template.findResources('AWS::Scheduler::Schedule') as Record<string, Resource>,
      ).filter(([, schedule]) => {
        const arn = schedule.Properties.Target.Arn as { 'Fn::GetAtt': string[] };
        return arn['Fn::GetAtt'][0] === logicalId(fn);
      });
      expect(schedules).toHaveLength(1);
      return schedules[0]?.[1] as Resource;
    }

    function expectScheduledTimeInput(schedule: Resource) {
      const target = schedule.Properties.Target;
      expect(schedule.Properties.ScheduleExpressionTimezone).toBe('Asia/Shanghai');
      expect(JSON.parse(target.Input)).toEqual({
        source: 'schedule',
        scheduledTime: '<aws.scheduler.scheduled-time>',
      });
      expect(target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
      expect(target.DeadLetterConfig.Arn).toBeDefined();
    }

    function expectRoleMayInvoke(schedule: Resource, fn: IConstruct) {
      const roleId = schedule.Properties.Target.RoleArn['Fn::GetAtt'][0];
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: roleId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: 'lambda:InvokeFunction',
              Resource: Match.arrayWith([{ 'Fn::GetAtt': [logicalId(fn), 'Arn'] }]),
            }),
          ]),
        },
      });
    }

    it('invokes evaluate at 02:00 on the 1st in Asia/Shanghai with the scheduled time as input', () => {
      const schedule = scheduleOf(stack.jobs.evaluate.function);
      expect(schedule.Properties.ScheduleExpression).toBe(MONTHLY_EVALUATION_CRON);
      expect(schedule.Properties.ScheduleExpression).toBe('cron(0 2 1 * ? *)');
      expectScheduledTimeInput(schedule);
      expectRoleMayInvoke(schedule, stack.jobs.evaluate.function);
    });

    it('starts the daily re-triage at 01:00 in Asia/Shanghai with the scheduled time as input', () => {
      const schedule = scheduleOf(stack.jobs.classify.function);
      expect(schedule.Properties.ScheduleExpression).toBe(DAILY_TRIAGE_CRON);
      expect(schedule.Properties.ScheduleExpression).toBe('cron(0 1 * * ? *)');
      expectScheduledTimeInput(schedule);
      expectRoleMayInvoke(schedule, stack.jobs.classify.function);
    });
  });

  describe('logs', () => {
    it('keeps every log group for a year by default, and never deletes one with the stack', () => {
      const logGroups = Object.values(
        template.findResources('AWS::Logs::LogGroup') as Record<string, Resource>,
      );

      // one per job, the API's access log and the console deployment's
      expect(logGroups).toHaveLength(JOBS.length + 2);
      for (const logGroup of logGroups) {
        expect(logGroup.Properties.RetentionInDays).toBe(365);
        expect(logGroup.DeletionPolicy).toBe('Retain');
      }
    });

    it('takes the retention from the stack props', () => {
      const shorter = Template.fromStack(buildStack({ logRetention: RetentionDays.SIX_MONTHS }));

      for (const logGroup of Object.values(
        shorter.findResources('AWS::Logs::LogGroup') as Record<string, Resource>,
      )) {
        expect(logGroup.Properties.RetentionInDays).toBe(180);
      }
    });
  });

  it('names no partition literally, so it deploys to the China regions too', () => {
    const variants = [
      template,
      Template.fromStack(buildStack({ jwtIssuer: 'https://idp.example', jwtAudience: ['a'] })),
    ];

    for (const variant of variants) {
      expect(JSON.stringify(variant.toJSON())).not.toContain('arn:aws:');
    }
  });

  it('outputs what a deployment needs', () => {
    for (const output of ['ApiUrl', 'TableName', 'BucketName', 'UserPoolId', 'UserPoolClientId']) {
      template.hasOutput(output, {});
    }
  });
});
