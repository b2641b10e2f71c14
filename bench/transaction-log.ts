/**
 * Counter conflicts, seen from the writers: every TransactWriteItems a worker sends, with its in-flight
 * window (sent to answered, epoch milliseconds) and the counter and flow items it updates (partition
 * keys `STAT#…`). DynamoDB Local runs transactions one at a time, so it never cancels one for another;
 * in the cloud two transactions in flight at once that update the same item conflict, and that is what
 * {@link conflictPairs} counts.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface LoggedTransaction {
  readonly start: number;
  readonly end: number;
  /** `PK|SK` of each counter or flow item the transaction updates. */
  readonly counterKeys: readonly string[];
  readonly ok: boolean;
}

const COUNTER_PARTITION = 'STAT#';

const now = () => performance.timeOrigin + performance.now();

function counterKeysOf(input: Record<string, unknown>): string[] {
  const actions = Array.isArray(input.TransactItems) ? input.TransactItems : [];
  const found: string[] = [];
  for (const action of actions as Record<
    string,
    { Key?: Record<string, unknown>; Item?: Record<string, unknown> }
  >[]) {
    for (const operation of Object.values(action)) {
      const key = operation.Key ?? operation.Item;
      const pk = key?.PK;
      if (typeof pk === 'string' && pk.startsWith(COUNTER_PARTITION)) found.push(`${pk}|${String(key?.SK)}`);
    }
  }
  return found;
}

/** A document client that logs every transaction it sends into `log`. */
export function transactionLoggingClient(
  client: DynamoDBDocumentClient,
  log: LoggedTransaction[],
): DynamoDBDocumentClient {
  const send = async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
    const name = command.constructor.name;
    const isTransaction = name === 'TransactWriteCommand' || name === 'TransactWriteItemsCommand';
    const start = now();
    let ok = false;
    try {
      const result = await client.send(command as Parameters<DynamoDBDocumentClient['send']>[0]);
      ok = true;
      return result;
    } finally {
      if (isTransaction) log.push({ start, end: now(), counterKeys: counterKeysOf(command.input), ok });
    }
  };
  return new Proxy(client, {
    get(target, property) {
      if (property === 'send') return send;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export interface PairCounts {
  readonly transactions: number;
  /** Pairs of transactions whose in-flight windows overlap. */
  readonly overlapping: number;
  /** Of those, pairs that update at least one counter or flow item in common. */
  readonly sameCounter: number;
}

/** Counts, over transactions of all workers, the pairs in flight together and those sharing a counter. */
export function conflictPairs(transactions: readonly LoggedTransaction[]): PairCounts {
  const sorted = [...transactions].sort((a, b) => a.start - b.start);
  const keySets = sorted.map((transaction) => new Set(transaction.counterKeys));
  let overlapping = 0;
  let sameCounter = 0;
  for (let i = 0; i < sorted.length; i++) {
    const first = sorted[i] as LoggedTransaction;
    for (let j = i + 1; j < sorted.length && (sorted[j] as LoggedTransaction).start < first.end; j++) {
      overlapping++;
      const keys = keySets[j] as Set<string>;
      if (first.counterKeys.some((key) => keys.has(key))) sameCounter++;
    }
  }
  return { transactions: sorted.length, overlapping, sameCounter };
}
