/**
 * Where an import's time goes, seen from outside the worker: each read of the dropped file is one pass
 * (hash, scan, write, final scan), and each DynamoDB command is timed by its kind. Wrapping the worker's
 * two ports costs a clock read per request, so the profile stays on in every run.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DropStore } from '#shared/object-store.ts';

export interface FilePass {
  /** Milliseconds since the import started, when the read began and when it stopped. */
  readonly startMs: number;
  endMs: number;
  bytes: number;
}

export interface CommandTally {
  count: number;
  ms: number;
  /** Write requests or transaction actions the commands carried. */
  items: number;
}

export interface ImportProfile {
  readonly passes: FilePass[];
  readonly commands: Record<string, CommandTally>;
  /** Milliseconds with at least one DynamoDB request outstanding (requests may overlap). */
  waitingMs: number;
  /**
   * The commits, the import's critical path: since the import started, when the first began and the
   * last ended, and the milliseconds in between with no transaction in flight (the commits waited).
   */
  readonly transactions: { firstStartMs: number; lastEndMs: number; idleMs: number };
}

export function emptyProfile(): ImportProfile {
  return {
    passes: [],
    commands: {},
    waitingMs: 0,
    transactions: { firstStartMs: -1, lastEndMs: 0, idleMs: 0 },
  };
}

/** A drop store whose every read is recorded as a pass over the file. */
export function profiledDropStore(inner: DropStore, profile: ImportProfile, origin: number): DropStore {
  return {
    ...inner,
    async read(key) {
      const pass: FilePass = { startMs: performance.now() - origin, endMs: 0, bytes: 0 };
      profile.passes.push(pass);
      const source = await inner.read(key);
      return (async function* () {
        try {
          for await (const chunk of source) {
            pass.bytes += chunk.byteLength;
            yield chunk;
          }
        } finally {
          pass.endMs = performance.now() - origin;
        }
      })();
    },
  };
}

function itemsOf(input: Record<string, unknown>): number {
  const transact = input.TransactItems;
  if (Array.isArray(transact)) return transact.length;
  const requests = input.RequestItems;
  if (requests !== null && typeof requests === 'object') {
    let count = 0;
    for (const table of Object.values(requests)) {
      if (Array.isArray(table)) count += table.length;
      else if (Array.isArray((table as { Keys?: unknown }).Keys))
        count += (table as { Keys: unknown[] }).Keys.length;
    }
    return count;
  }
  return 1;
}

/** A document client that times every `send` by command name. */
export function profiledClient(
  client: DynamoDBDocumentClient,
  profile: ImportProfile,
  origin: number,
): DynamoDBDocumentClient {
  let outstanding = 0;
  let waitingSince = 0;
  let transacting = 0;
  const commits = profile.transactions;
  const send = async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
    const started = performance.now();
    if (outstanding++ === 0) waitingSince = started;
    const commit = command.constructor.name === 'TransactWriteCommand';
    if (commit && transacting++ === 0) {
      if (commits.firstStartMs < 0) commits.firstStartMs = started - origin;
      else commits.idleMs += started - origin - commits.lastEndMs;
    }
    try {
      return await client.send(command as Parameters<DynamoDBDocumentClient['send']>[0]);
    } finally {
      const name = command.constructor.name.replace(/Command$/, '');
      const tally = profile.commands[name] ?? { count: 0, ms: 0, items: 0 };
      profile.commands[name] = tally;
      const ended = performance.now();
      if (--outstanding === 0) profile.waitingMs += ended - waitingSince;
      if (commit && --transacting === 0) commits.lastEndMs = ended - origin;
      tally.count++;
      tally.ms += ended - started;
      tally.items += itemsOf(command.input);
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
