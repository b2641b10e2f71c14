/**
 * The operations dashboard: a row per concern (the functions, the stream consumers and durations, the
 * API, the queues and the table), then the state of every alarm in the stack.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import {
  FIVE_MINUTES,
  jobEntries,
  type OperationsProps,
  STREAM_CONSUMERS,
  sumOverOperations,
} from './operations-metrics.ts';

/** The dashboard, built last so that it finds every alarm of the stack. */
export function addDashboard(scope: Construct, props: OperationsProps): cloudwatch.Dashboard {
  const dashboard = new cloudwatch.Dashboard(scope, 'Dashboard', {
    dashboardName: `${Stack.of(scope).stackName}-operations`,
    defaultInterval: Duration.hours(6),
  });
  // one call per row of the dashboard (24 columns wide)
  for (const row of [
    functionWidgets(props.functions),
    streamWidgets(props.functions),
    apiWidgets(props.api),
    [queueWidget(props.queues), ...tableWidgets(props.table)],
  ]) {
    dashboard.addWidgets(...row);
  }
  dashboard.addWidgets(
    new cloudwatch.AlarmStatusWidget({
      title: 'Alarms',
      alarms: alarmsIn(Stack.of(scope)),
      width: 24,
      sortBy: cloudwatch.AlarmStatusWidgetSortBy.STATE_UPDATED_TIMESTAMP,
    }),
  );
  return dashboard;
}

function alarmsIn(stack: Stack): cloudwatch.IAlarm[] {
  return stack.node
    .findAll()
    .filter((construct): construct is cloudwatch.Alarm => construct instanceof cloudwatch.Alarm);
}

function perFunction(
  functions: OperationsProps['functions'],
  metric: (fn: lambda.IFunction) => cloudwatch.Metric,
): cloudwatch.IMetric[] {
  return jobEntries(functions).map(([job, { function: fn }]) => metric(fn).with({ label: job }));
}

function graph(title: string, left: cloudwatch.IMetric[], width = 8): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({ title, left, width, height: 6 });
}

function functionWidgets(functions: OperationsProps['functions']): cloudwatch.IWidget[] {
  const sum = { period: FIVE_MINUTES, statistic: 'Sum' };
  return [
    graph(
      'Invocations',
      perFunction(functions, (fn) => fn.metricInvocations(sum)),
    ),
    graph(
      'Errors',
      perFunction(functions, (fn) => fn.metricErrors(sum)),
    ),
    graph(
      'Throttles',
      perFunction(functions, (fn) => fn.metricThrottles(sum)),
    ),
  ];
}

function streamWidgets(functions: OperationsProps['functions']): cloudwatch.IWidget[] {
  return [
    graph(
      'Duration p99 (ms)',
      perFunction(functions, (fn) => fn.metricDuration({ period: FIVE_MINUTES, statistic: 'p99' })),
      12,
    ),
    graph(
      'Stream iterator age, max (ms)',
      STREAM_CONSUMERS.map((job) =>
        functions[job].function.metric('IteratorAge', {
          period: Duration.minutes(1),
          statistic: 'Maximum',
          label: job,
        }),
      ),
      12,
    ),
  ];
}

function apiWidgets(api: apigwv2.IHttpApi): cloudwatch.IWidget[] {
  const sum = { period: FIVE_MINUTES, statistic: 'Sum' };
  return [
    graph('API requests', [api.metricCount({ ...sum, label: 'requests' })]),
    graph('API errors', [
      api.metricServerError({ ...sum, label: '5xx' }),
      api.metricClientError({ ...sum, label: '4xx' }),
    ]),
    graph('API latency (ms)', [
      api.metricLatency({ period: FIVE_MINUTES, statistic: 'p50', label: 'p50' }),
      api.metricLatency({ period: FIVE_MINUTES, statistic: 'p99', label: 'p99' }),
      api.metricIntegrationLatency({ period: FIVE_MINUTES, statistic: 'p99', label: 'integration p99' }),
    ]),
  ];
}

function queueWidget(queues: OperationsProps['queues']): cloudwatch.IWidget {
  return graph(
    'Queue depth (visible messages, max)',
    Object.entries(queues).map(([label, queue]) =>
      queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum', label }),
    ),
  );
}

function tableWidgets(table: dynamodb.ITable): cloudwatch.IWidget[] {
  const sum = { period: FIVE_MINUTES, statistic: 'Sum' };
  return [
    graph('Table consumed capacity (units / 5 min)', [
      table.metricConsumedReadCapacityUnits({ ...sum, label: 'read' }),
      table.metricConsumedWriteCapacityUnits({ ...sum, label: 'write' }),
    ]),
    graph('Table throttles and system errors', [
      sumOverOperations(table, 'ThrottledRequests'),
      sumOverOperations(table, 'SystemErrors'),
    ]),
  ];
}
