/**
 * Request and capacity counts of a client, for docs/scale.md's rates and costs: a middleware asks every
 * data-plane call for its consumed capacity (`ReturnConsumedCapacity: INDEXES`, which DynamoDB Local
 * answers as the service does, by item size and read consistency) and sums it by command, split into
 * read and write units. The store's code is unchanged: only the client it is given carries the meter.
 *
 * DynamoDB Local answers a TransactWriteItems call with the capacity of one of its items only (a
 * transaction of 10 puts reports what one put costs), so a transaction's units are computed here instead,
 * as the service bills them: 2 units per started KB of each put item and of each of its index entries, 2
 * per update, delete or condition check (the updates in transactions are the counters, under 1 KB).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { putWriteUnits } from './item-size.ts';

/** Commands that take `ReturnConsumedCapacity`, with whether they read or write. */
const METERED: Readonly<Record<string, 'read' | 'write'>> = {
  GetItemCommand: 'read',
  BatchGetItemCommand: 'read',
  QueryCommand: 'read',
  ScanCommand: 'read',
  TransactGetItemsCommand: 'read',
  ExecuteStatementCommand: 'read',
  PutItemCommand: 'write',
  UpdateItemCommand: 'write',
  DeleteItemCommand: 'write',
  BatchWriteItemCommand: 'write',
  TransactWriteItemsCommand: 'write',
};

export interface MeterReading {
  /** Calls by command name (`QueryCommand`, …), retries of a call counted once. */
  readonly requests: Record<string, number>;
  readonly totalRequests: number;
  /** Read request units (on-demand) consumed, index reads included. */
  readonly readUnits: number;
  /** Write request units (on-demand) consumed, the index writes a table write causes included. */
  readonly writeUnits: number;
}

interface Capacity {
  readonly CapacityUnits?: number;
}

type TransactItem = { Put?: { Item: Record<string, unknown> } };

/** The units the service bills for a transaction, from its input (see the module's comment). */
function transactionUnits(input: Record<string, unknown>): number {
  const items = (input.TransactItems ?? []) as TransactItem[];
  return items.reduce((sum, entry) => sum + 2 * (entry.Put ? putWriteUnits(entry.Put.Item) : 1), 0);
}

function unitsOf(consumed: unknown): number {
  const list = Array.isArray(consumed) ? consumed : consumed === undefined ? [] : [consumed];
  return list.reduce((sum: number, entry: Capacity) => sum + (entry.CapacityUnits ?? 0), 0);
}

export class CapacityMeter {
  private requests: Record<string, number> = {};
  private readUnits = 0;
  private writeUnits = 0;

  /** Puts the meter on a document client (every command sent through it from now on). */
  attach(client: DynamoDBDocumentClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const name = String(context.commandName ?? 'unknown');
        const kind = METERED[name];
        const input = args.input as Record<string, unknown>;
        if (kind !== undefined) input.ReturnConsumedCapacity = 'INDEXES';
        const result = await next(args);
        this.requests[name] = (this.requests[name] ?? 0) + 1;
        const units =
          name === 'TransactWriteItemsCommand'
            ? transactionUnits(input)
            : unitsOf((result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity);
        if (kind === 'read') this.readUnits += units;
        else if (kind === 'write') this.writeUnits += units;
        return result;
      },
      { step: 'initialize', name: 'benchCapacityMeter' },
    );
  }

  /** What was counted since the last reading, and a fresh start. */
  take(): MeterReading {
    const reading = {
      requests: this.requests,
      totalRequests: Object.values(this.requests).reduce((sum, count) => sum + count, 0),
      readUnits: Math.round(this.readUnits * 10) / 10,
      writeUnits: Math.round(this.writeUnits * 10) / 10,
    };
    this.requests = {};
    this.readUnits = 0;
    this.writeUnits = 0;
    return reading;
  }
}
