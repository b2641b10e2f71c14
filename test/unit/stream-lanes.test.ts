/**
 * The local stream reader's lanes (the mapping's ParallelizationFactor): a page's records split by
 * partition key, one item's records in one lane and in their order, every record in exactly one lane.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitByPartitionKey } from '../../local/stream-reader.ts';

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
