/**
 * The metrics the alarms and the dashboard share: which jobs read the stream, the table operations whose
 * per-operation metrics are summed, and the period both use.
 */
import { Duration } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { JobName } from '../credit-governance-stack.ts';
import type { JobFunction } from './job-function.ts';

/** The jobs that read the table's stream: their iterator age is how far behind the table they are. */
export const STREAM_CONSUMERS: readonly JobName[] = ['trail', 'classify'];

/**
 * The DynamoDB operations the functions call (the SDK commands under `functions/`, and GetRecords of the
 * two stream consumers' pollers). An alarm's math expression may use at most 10 metrics.
 */
export const TABLE_OPERATIONS = [
  'GetItem',
  'PutItem',
  'UpdateItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactWriteItems',
  'ExecuteStatement',
  'GetRecords',
] as const;

export interface OperationsProps {
  /** Every function of the stack, by job. */
  readonly functions: Readonly<Record<JobName, JobFunction>>;
  readonly api: apigwv2.IHttpApi;
  readonly table: dynamodb.ITable;
  /** The queues whose depth the dashboard shows, by label. */
  readonly queues: Readonly<Record<string, sqs.IQueue>>;
  /** Where every alarm goes. */
  readonly alarmTopic: sns.ITopic;
}

export const FIVE_MINUTES = Duration.minutes(5);

/**
 * One operation-independent sum of a per-operation table metric. SUM over the array, not `a + b`: a
 * metric math sum with `+` is missing wherever one term is, and most operations report nothing at all.
 */
export function sumOverOperations(table: dynamodb.ITable, metricName: string): cloudwatch.MathExpression {
  const usingMetrics = Object.fromEntries(
    // ids unique across expressions, since one graph shows two of these sums
    TABLE_OPERATIONS.map((operation) => [
      `${metricName.toLowerCase()}_${operation.toLowerCase()}`,
      table.metric(metricName, {
        dimensionsMap: { TableName: table.tableName, Operation: operation },
        period: FIVE_MINUTES,
        statistic: 'Sum',
      }),
    ]),
  );
  return new cloudwatch.MathExpression({
    expression: `SUM([${Object.keys(usingMetrics).join(', ')}])`,
    usingMetrics,
    label: `${metricName} (all operations)`,
    period: FIVE_MINUTES,
  });
}

export function jobEntries(functions: OperationsProps['functions']): [JobName, JobFunction][] {
  return Object.entries(functions) as [JobName, JobFunction][];
}
