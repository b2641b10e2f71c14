/**
 * The local stream reader's lanes (the mapping's ParallelizationFactor): a page's records split by
 * partition key, one item's records in one lane and in their order, every record in exactly one lane.
 * Each lane delivers at its own pace; a page is done once it and every earlier page are.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lanesByPartitionKey, ShardLanes, splitByPartitionKey } from '../../local/stream-lanes.ts';

function record(pk: string, sequence: number): DynamoDBRecord {
  return {
    eventID: String(sequence),
    dynamodb: { Keys: { PK: { S: pk }, SK: { S: 'X' } }, SequenceNumber: String(sequence).padStart(10, '0') },
  };
}

const pkOf = (r: DynamoDBRecord) => r.dynamodb?.Keys?.PK?.S;

describe('splitByPartitionKey', () => {
  it('keeps every record once, each key in one lane, in the order of the page', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('SUBJECT#1', 'SUBJECT#2', 'SUBJECT#3', 'LISTING#a', 'LISTING#b'), {
          maxLength: 200,
        }),
        fc.integer({ min: 1, max: 10 }),
        (keys, lanes) => {
          const records = keys.map((pk, index) => record(pk, index));
          const groups = splitByPartitionKey(records, lanes);
          expect(groups.length).toBeLessThanOrEqual(lanes);
          expect(groups.flat().length).toBe(records.length);
          for (const group of groups) {
            const sequences = group.map((r) => Number(r.dynamodb?.SequenceNumber));
            expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
            expect(group.length).toBeGreaterThan(0);
          }
          const laneOf = new Map<string | undefined, number>();
          groups.forEach((group, lane) => {
            for (const r of group) {
              expect(laneOf.get(pkOf(r)) ?? lane).toBe(lane);
              laneOf.set(pkOf(r), lane);
            }
          });
        },
      ),
    );
  });

  it('spreads many keys over the lanes, and keeps one lane when asked for one', () => {
    const records = Array.from({ length: 400 }, (_, index) => record(`SUBJECT#${index}`, index));
    expect(splitByPartitionKey(records, 4)).toHaveLength(4);
    expect(splitByPartitionKey(records, 1)).toEqual([records]);
    expect(splitByPartitionKey([], 4)).toEqual([]);
  });
});

/** A delivery the test lets finish, or fail, when it wants. */
function heldDeliveries() {
  const calls: { pks: (string | undefined)[]; finish: () => void; fail: (error: Error) => void }[] = [];
  const deliver = (records: DynamoDBRecord[]) =>
    new Promise<void>((resolve, reject) => {
      calls.push({ pks: records.map(pkOf), finish: resolve, fail: reject });
    });
  return { calls, deliver };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** Two keys that fall in different lanes of two. */
function keysInTwoLanes(): [string, string] {
  const first = 'SUBJECT#0';
  const lane = (pk: string) => [...lanesByPartitionKey([record(pk, 0)], 2).keys()][0];
  for (let index = 1; ; index++) {
    const other = `SUBJECT#${index}`;
    if (lane(other) !== lane(first)) return [first, other];
  }
}

describe('ShardLanes', () => {
  it('lets a lane go on to the next page while another lane is still delivering', async () => {
    // Prepare
    const [slow, fast] = keysInTwoLanes();
    const { calls, deliver } = heldDeliveries();
    const lanes = new ShardLanes(2, deliver);
    // Act: two pages; the slow key's first batch is held
    const first = lanes.page([record(slow, 1), record(fast, 2)]);
    const second = lanes.page([record(slow, 3), record(fast, 4)]);
    await tick();
    calls.find((call) => call.pks[0] === fast)?.finish();
    await tick();
    // Assess: the fast lane started its second batch; the slow lane waits for its first
    expect(calls.map((call) => call.pks)).toEqual([[slow], [fast], [fast]]);
    let settled = false;
    void first.then(() => {
      settled = true;
    });
    await tick();
    expect(settled).toBe(false);
    // the slow lane finishes: its second batch starts, and the pages settle in order
    calls[0]?.finish();
    await tick();
    expect(calls.map((call) => call.pks)).toEqual([[slow], [fast], [fast], [slow]]);
    await first;
    for (const call of calls.slice(2)) call.finish();
    await second;
  });

  it('fails the page and every later one when a lane fails, and that lane delivers nothing more', async () => {
    // Prepare
    const [failing, other] = keysInTwoLanes();
    const { calls, deliver } = heldDeliveries();
    const lanes = new ShardLanes(2, deliver);
    const first = lanes.page([record(failing, 1), record(other, 2)]);
    const second = lanes.page([record(failing, 3), record(other, 4)]);
    first.catch(() => undefined);
    second.catch(() => undefined);
    await tick();
    // Act
    calls.find((call) => call.pks[0] === failing)?.fail(new Error('handler down'));
    for (const call of calls.filter((call) => call.pks[0] === other)) call.finish();
    await tick();
    for (const call of calls.filter((call) => call.pks[0] === other)) call.finish();
    await lanes.settle();
    // Assess
    await expect(first).rejects.toThrow('handler down');
    await expect(second).rejects.toThrow('handler down');
    expect(calls.filter((call) => call.pks[0] === failing)).toHaveLength(1);
  });
});
