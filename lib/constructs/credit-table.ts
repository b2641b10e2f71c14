/**
 * The one DynamoDB table, mapped from the same constants the local runtime's CreateTable uses
 * (`functions/storage/table-definition.ts`), so the cloud table and DynamoDB Local cannot drift apart.
 */

import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import {
  GSI,
  type IndexDefinition,
  STREAM_VIEW_TYPE,
  TABLE_PARTITION_KEY,
  TABLE_SORT_KEY,
  TIME_TO_LIVE_ATTRIBUTE,
} from '#storage/table-definition.ts';

const stringKey = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

/** The index's projection from the shared definition (its reason is written there). */
function projectionOf(index: IndexDefinition) {
  const { projection } = index;
  return projection.type === 'INCLUDE'
    ? { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: [...projection.attributes] }
    : { projectionType: dynamodb.ProjectionType[projection.type] };
}

/**
 * On-demand, point-in-time recovery, encrypted with the AWS-managed key, protected from deletion and kept
 * on stack removal; items that carry the TTL attribute expire on it.
 */
export function createCreditTable(scope: Construct, id: string): dynamodb.Table {
  const table = new dynamodb.Table(scope, id, {
    partitionKey: stringKey(TABLE_PARTITION_KEY),
    sortKey: stringKey(TABLE_SORT_KEY),
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
    stream: dynamodb.StreamViewType[STREAM_VIEW_TYPE],
    timeToLiveAttribute: TIME_TO_LIVE_ATTRIBUTE,
  });
  for (const index of Object.values(GSI)) {
    table.addGlobalSecondaryIndex({
      indexName: index.indexName,
      partitionKey: stringKey(index.partitionKey),
      sortKey: stringKey(index.sortKey),
      ...projectionOf(index),
    });
  }
  return table;
}
