/**
 * The lanes of one shard, as the event source mapping's ParallelizationFactor runs them: a page's
 * records split by a hash of their partition key, one item's records in one lane and in their order.
 * Each lane goes at its own pace, as Lambda's poller lets it: the next page's lanes start while a slow
 * lane of this one is still delivering, and only that lane's next batch waits for it. A page counts as
 * delivered once each of its lanes and every earlier page is, so a checkpoint taken from delivered pages
 * never passes a record that was not delivered.
 */
import type { DynamoDBRecord } from 'aws-lambda';

function laneOf(record: DynamoDBRecord, lanes: number): number {
  const key = JSON.stringify(record.dynamodb?.Keys?.PK ?? record.dynamodb?.Keys ?? '');
  let hash = 0;
  for (let index = 0; index < key.length; index++) hash = (hash * 31 + key.charCodeAt(index)) >>> 0;
  return hash % lanes;
}

/** The records of each lane that has any, by lane number, each lane in the records' order. */
export function lanesByPartitionKey(
  records: readonly DynamoDBRecord[],
  lanes: number,
): Map<number, DynamoDBRecord[]> {
  const byLane = new Map<number, DynamoDBRecord[]>();
  for (const record of records) {
    const lane = lanes <= 1 ? 0 : laneOf(record, lanes);
    const group = byLane.get(lane);
    if (group === undefined) byLane.set(lane, [record]);
    else group.push(record);
  }
  return byLane;
}

/** Records in at most `lanes` groups by partition key, each in the records' order; no empty group. */
export function splitByPartitionKey(records: readonly DynamoDBRecord[], lanes: number): DynamoDBRecord[][] {
  return [...lanesByPartitionKey(records, lanes)].sort(([a], [b]) => a - b).map(([, group]) => group);
}

/** The lanes of one shard while it is read: pages go in, each lane delivers in order. */
export class ShardLanes {
  private readonly tails = new Map<number, Promise<void>>();
  private lastPage: Promise<void> = Promise.resolve();

  constructor(
    private readonly lanes: number,
    private readonly deliver: (records: DynamoDBRecord[]) => Promise<void>,
  ) {}

  /**
   * Starts delivering a page; resolves once it and every earlier page are delivered, rejects when a
   * delivery of it or of an earlier page failed. A lane that failed delivers nothing more.
   */
  page(records: readonly DynamoDBRecord[]): Promise<void> {
    const deliveries = [...lanesByPartitionKey(records, this.lanes)].map(([lane, group]) => {
      const tail = (this.tails.get(lane) ?? Promise.resolve()).then(() => this.deliver(group));
      // the failure reaches whoever awaits the page; the lane keeps it so that its later batches never run
      tail.catch(() => undefined);
      this.tails.set(lane, tail);
      return tail;
    });
    const done = Promise.all([this.lastPage, ...deliveries]).then(() => undefined);
    done.catch(() => undefined);
    this.lastPage = done;
    return done;
  }

  /** Waits for every lane to settle, failed or not. */
  async settle(): Promise<void> {
    await Promise.allSettled([this.lastPage, ...this.tails.values()]);
  }
}
