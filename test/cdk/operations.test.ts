/**
 * The operator's alarms and dashboard, asserted on the synthesized template: each alarm's metric,
 * statistic, period, threshold, missing-data treatment and action (the alarm topic), the queue alarms
 * not made twice, and one dashboard that names every function, queue and alarm.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/constructs/job-function.ts';
import { TABLE_OPERATIONS } from '../../lib/constructs/operations.ts';
import type { CreditGovernanceStack, JobName } from '../../lib/credit-governance-stack.ts';
import { buildStack } from './build-stack.ts';

// biome-ignore lint/suspicious/noExplicitAny: a synthesized template is untyped JSON; the assertions are its types.
type Json = any;
type Resource = { Type: string; Properties: Record<string, Json> };

const JOBS: readonly JobName[] = ['api', 'exits', 'import', 'classify', 'evaluate', 'trail'];

/** The DynamoDB document-client commands and the operation each is counted under in CloudWatch. */
const COMMAND_OPERATIONS: Record<string, string> = {
  GetCommand: 'GetItem',
  PutCommand: 'PutItem',
  UpdateCommand: 'UpdateItem',
  DeleteCommand: 'DeleteItem',
  QueryCommand: 'Query',
  ScanCommand: 'Scan',
  BatchGetCommand: 'BatchGetItem',
  BatchWriteCommand: 'BatchWriteItem',
  TransactWriteCommand: 'TransactWriteItems',
  TransactGetCommand: 'TransactGetItems',
  ExecuteStatementCommand: 'ExecuteStatement',
  BatchExecuteStatementCommand: 'BatchExecuteStatement',
  ExecuteTransactionCommand: 'ExecuteTransaction',
};

function logicalId(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(construct).getLogicalId(element);
}

function capitalized(job: string): string {
  return job.charAt(0).toUpperCase() + job.slice(1);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('operations', () => {
  let stack: CreditGovernanceStack;
  let template: Template;
  let alarms: Record<string, Resource>;
  let topicRef: { Ref: string };

  /** The synthesized alarm made under `Operations/<id>`. */
  function alarm(id: string): Json {
    const construct = stack.node.findChild('Operations').node.findChild(id);
    const resource = alarms[logicalId(construct)];
    expect(resource, id).toBeDefined();
    return resource?.Properties;
  }

  function functionRef(job: JobName): { Ref: string } {
    return { Ref: logicalId(stack.jobs[job].function) };
  }

  beforeAll(() => {
    // Prepare / Act: the stack with its defaults, bundling skipped.
    stack = buildStack();
    template = Template.fromStack(stack);
    alarms = template.findResources('AWS::CloudWatch::Alarm') as Record<string, Resource>;
    topicRef = { Ref: logicalId(stack.node.findChild('AlarmTopic')) };
  });

  describe('alarms', () => {
    it('sends every alarm of the stack to the alarm topic, with a description of what to do', () => {
      expect(Object.keys(alarms).length).toBeGreaterThanOrEqual(2 * JOBS.length + 7 + 4);
      for (const [id, { Properties }] of Object.entries(alarms)) {
        expect(Properties.AlarmActions, id).toEqual([topicRef]);
        expect(Properties.AlarmDescription.length, id).toBeGreaterThan(60);
        expect(Properties.TreatMissingData, id).toBe('notBreaching');
      }
    });

    it.each(JOBS)('alarms on one error and on one throttle of the %s function in 5 minutes', (job) => {
      for (const metric of ['Errors', 'Throttles']) {
        expect(alarm(`${capitalized(job)}${metric}`)).toMatchObject({
          Namespace: 'AWS/Lambda',
          MetricName: metric,
          Dimensions: [{ Name: 'FunctionName', Value: functionRef(job) }],
          Statistic: 'Sum',
          Period: 300,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          EvaluationPeriods: 1,
        });
      }
    });

    it('alarms when one import run reaches 80% of the worker timeout (15 minutes)', () => {
      expect(alarm('ImportDuration')).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: 'Duration',
        Dimensions: [{ Name: 'FunctionName', Value: functionRef('import') }],
        Statistic: 'Maximum',
        Period: 300,
        Threshold: 720_000,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
      });
    });

    it.each(['trail', 'classify'] as const)(
      'alarms when %s is a minute behind the stream for 3 of 5 minutes',
      (job) => {
        expect(alarm(`${capitalized(job)}IteratorAge`)).toMatchObject({
          Namespace: 'AWS/Lambda',
          MetricName: 'IteratorAge',
          Dimensions: [{ Name: 'FunctionName', Value: functionRef(job) }],
          Statistic: 'Maximum',
          Period: 60,
          Threshold: 60_000,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          EvaluationPeriods: 5,
          DatapointsToAlarm: 3,
        });
      },
    );

    it('alarms when 1% of API requests, and at least 5, answer 5xx in 5 minutes', () => {
      const apiRef = { Ref: logicalId(stack.node.findChild('HttpApi').node.findChild('HttpApi')) };
      const properties = alarm('Api5xx');

      expect(properties).toMatchObject({ Threshold: 1, EvaluationPeriods: 1 });
      expect(properties.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
      expect(properties.Metrics).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ Expression: 'IF(errors >= 5, 100 * errors / requests, 0)' }),
          ...[
            ['errors', '5xx'],
            ['requests', 'Count'],
          ].map(([id, metricName]) =>
            expect.objectContaining({
              Id: id,
              MetricStat: {
                Metric: {
                  Namespace: 'AWS/ApiGateway',
                  MetricName: metricName,
                  Dimensions: [{ Name: 'ApiId', Value: apiRef }],
                },
                Period: 300,
                Stat: 'Sum',
              },
              ReturnData: false,
            }),
          ),
        ]),
      );
    });

    it('alarms when the API p99 latency stays above 3 s for 15 minutes', () => {
      expect(alarm('ApiLatency')).toMatchObject({
        Namespace: 'AWS/ApiGateway',
        MetricName: 'Latency',
        ExtendedStatistic: 'p99',
        Period: 300,
        Threshold: 3_000,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 3,
        DatapointsToAlarm: 3,
      });
    });

    it.each([
      ['TableThrottles', 'ThrottledRequests', 1, 2],
      ['TableSystemErrors', 'SystemErrors', 5, 1],
    ] as const)(
      '%s sums %s over every operation: threshold %d, %d period(s) of 5 minutes',
      (id, metricName, threshold, periods) => {
        const tableRef = { Ref: logicalId(stack.node.findChild('Table')) };
        const properties = alarm(id);
        const metrics: Json[] = properties.Metrics;
        const stats = metrics.filter((metric) => metric.MetricStat);

        expect(properties).toMatchObject({ Threshold: threshold, EvaluationPeriods: periods });
        expect(properties.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
        expect(metrics.find((metric) => metric.Expression)?.Expression).toBe(
          `SUM([${stats.map((metric) => metric.Id).join(', ')}])`,
        );
        expect(stats.map((metric) => metric.MetricStat)).toEqual(
          TABLE_OPERATIONS.map((operation) => ({
            Metric: {
              Namespace: 'AWS/DynamoDB',
              MetricName: metricName,
              Dimensions: expect.arrayContaining([
                { Name: 'TableName', Value: tableRef },
                { Name: 'Operation', Value: operation },
              ]),
            },
            Period: 300,
            Stat: 'Sum',
          })),
        );
      },
    );

    it('covers every DynamoDB operation the functions call', () => {
      // Prepare
      const commands = sourceFiles(join(PROJECT_ROOT, 'functions')).flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/new (\w+Command)\b/g)].map((match) => match[1] ?? ''),
      );

      // Act
      const called = new Set(
        commands.flatMap((command) => (command in COMMAND_OPERATIONS ? [COMMAND_OPERATIONS[command]] : [])),
      );

      // Assess
      expect(called.size).toBeGreaterThan(5);
      expect(TABLE_OPERATIONS).toEqual(expect.arrayContaining([...called]));
      // the pollers of the two stream consumers: a third reader of the stream would be throttled here
      expect(TABLE_OPERATIONS).toContain('GetRecords');
      expect(TABLE_OPERATIONS.length).toBeLessThanOrEqual(10);
    });

    it('keeps one alarm per dead-letter and failure queue, not a second one', () => {
      const depthAlarms = Object.values(alarms).filter(
        ({ Properties }) => Properties.MetricName === 'ApproximateNumberOfMessagesVisible',
      );
      const queues = depthAlarms.map(({ Properties }) => JSON.stringify(Properties.Dimensions));

      expect(depthAlarms).toHaveLength(4);
      expect(new Set(queues).size).toBe(4);
    });
  });

  describe('dashboard', () => {
    let body: string;

    beforeAll(() => {
      const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
      expect(dashboards).toHaveLength(1);
      body = JSON.stringify(dashboards[0]?.Properties.DashboardBody);
    });

    it('is named after the stack', () => {
      template.hasResourceProperties('AWS::CloudWatch::Dashboard', {
        DashboardName: 'CreditGovernance-operations',
      });
    });

    it.each(JOBS)('shows the %s function by name', (job) => {
      expect(body).toContain(JSON.stringify(functionRef(job)));
      expect(body).toContain(`\\"label\\":\\"${job}\\"`);
    });

    it('shows invocations, errors, duration, iterator age, the API, the queues and the table', () => {
      for (const metric of [
        'Invocations',
        'Errors',
        'Throttles',
        'Duration',
        'IteratorAge',
        'Count',
        '5xx',
        'Latency',
        'ApproximateNumberOfMessagesVisible',
        'ConsumedReadCapacityUnits',
        'ConsumedWriteCapacityUnits',
        'ThrottledRequests',
        'SystemErrors',
      ]) {
        expect(body, metric).toContain(`\\"${metric}\\"`);
      }
    });

    it('shows the depth of every queue of the stack', () => {
      const queueIds = Object.keys(template.findResources('AWS::SQS::Queue'));

      expect(queueIds).toHaveLength(5);
      for (const queueId of queueIds) {
        expect(body, queueId).toContain(JSON.stringify({ 'Fn::GetAtt': [queueId, 'QueueName'] }));
      }
    });

    it('shows the state of every alarm, the queue alarms included', () => {
      const alarmConstructs = stack.node
        .findAll()
        .filter((construct) => construct instanceof cloudwatch.Alarm);

      expect(alarmConstructs).toHaveLength(Object.keys(alarms).length);
      for (const construct of alarmConstructs) {
        expect(body).toContain(JSON.stringify({ 'Fn::GetAtt': [logicalId(construct), 'Arn'] }));
      }
    });
  });
});
