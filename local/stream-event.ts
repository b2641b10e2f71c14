/**
 * DynamoDB Streams records as Lambda's event source mapping hands them to a function: the Streams API's
 * records (from DynamoDB Local here) in the `DynamoDBStreamEvent` shape, and the mapping's filter on the
 * new image's item type. The golden fixture `test/fixtures/events/dynamodb-stream.json` holds the
 * cloud's shape; `test/local/events.test.ts` holds these to it.
 */
import type { _Record as StreamsRecord } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, AttributeValue as LambdaAttributeValue } from 'aws-lambda';

type SdkAttributeValue = NonNullable<NonNullable<StreamsRecord['dynamodb']>['NewImage']>[string];

/** An attribute value as JSON carries it: binary as base64, everything else as the SDK gives it. */
function toEventValue(value: SdkAttributeValue): LambdaAttributeValue {
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.BS !== undefined) return { BS: value.BS.map((b) => Buffer.from(b).toString('base64')) };
  if (value.M !== undefined) return { M: toEventImage(value.M) as Record<string, LambdaAttributeValue> };
  if (value.L !== undefined) return { L: value.L.map(toEventValue) };
  // The Streams client hands an empty map (`{"M":{}}` on the wire) over as a bare `{}`
  if (Object.keys(value).length === 0) return { M: {} };
  return value as LambdaAttributeValue;
}

function toEventImage(
  image: Record<string, SdkAttributeValue> | undefined,
): Record<string, LambdaAttributeValue> | undefined {
  if (image === undefined) return undefined;
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, toEventValue(value)]));
}

/** One Streams API record as the Lambda event carries it. */
export function lambdaStreamRecord(
  record: StreamsRecord,
  streamArn: string,
  region = 'us-east-1',
): DynamoDBRecord {
  const stream = record.dynamodb ?? {};
  const created = stream.ApproximateCreationDateTime;
  const keys = toEventImage(stream.Keys);
  const newImage = toEventImage(stream.NewImage);
  const oldImage = toEventImage(stream.OldImage);
  return {
    eventID: record.eventID ?? '',
    eventName: record.eventName ?? 'MODIFY',
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion ?? region,
    dynamodb: {
      ...(created === undefined ? {} : { ApproximateCreationDateTime: Math.floor(created.getTime() / 1000) }),
      ...(keys === undefined ? {} : { Keys: keys }),
      ...(newImage === undefined ? {} : { NewImage: newImage }),
      ...(oldImage === undefined ? {} : { OldImage: oldImage }),
      ...(stream.SequenceNumber === undefined ? {} : { SequenceNumber: stream.SequenceNumber }),
      ...(stream.SizeBytes === undefined ? {} : { SizeBytes: stream.SizeBytes }),
      ...(stream.StreamViewType === undefined ? {} : { StreamViewType: stream.StreamViewType }),
    },
    eventSourceARN: streamArn,
  };
}

/**
 * The event source mapping's filter on the item type of the new image (`{ dynamodb: { NewImage:
 * { type: { S: [...] } } } }`): a record whose new image has none of the types is dropped.
 */
export function matchesTypeFilter(record: DynamoDBRecord, types: readonly string[]): boolean {
  const type = record.dynamodb?.NewImage?.type?.S;
  return type !== undefined && types.includes(type);
}
