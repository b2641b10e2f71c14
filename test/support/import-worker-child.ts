/**
 * A separate process running the real import worker on one drop-folder file, for the test that kills a
 * worker mid-file. It talks to the test's DynamoDB Local table and drop folder, and stops (forever) at
 * a chosen write group so that the parent can SIGKILL it at a known point:
 * - `after`: once the nth group's transaction (rows, counters, chunk checkpoint) has committed;
 * - `before`: just before the nth group's transaction, its row errors already written.
 * It tells the parent by an IPC message `{ paused: n }`.
 *
 * Usage: node --import tsx test/support/import-worker-child.ts '<json>' where the JSON holds
 * `{ endpoint, tableName, root, key, pause: 'after' | 'before', group }`.
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { silentLogger } from '#shared/logger.ts';
import { createDocumentClient } from '#storage/client.ts';
import { handleMessage } from '../../functions/import/create-handler.ts';
import { DEFAULT_IMPORT_SETTINGS, type ImportDeps } from '../../functions/import/worker.ts';
import { createFileDropStore } from '../../local/adapters/file-drop-store.ts';
import { s3NotificationBody } from './imports.ts';

interface ChildOptions {
  readonly endpoint: string;
  readonly tableName: string;
  readonly root: string;
  readonly key: string;
  readonly pause: 'after' | 'before';
  readonly group: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as ChildOptions;
if (!/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(options.endpoint)) {
  throw new Error(`refusing to run against ${options.endpoint}: DynamoDB Local only`);
}

/** Whether a transaction is a write group's: it moves a chunk's checkpoint. */
function isGroupTransaction(command: unknown): boolean {
  if (!(command instanceof TransactWriteCommand)) return false;
  return (command.input.TransactItems ?? []).some((item) =>
    String(item.Update?.Key?.SK).startsWith('CHUNK#'),
  );
}

async function pauseForever(group: number): Promise<never> {
  process.send?.({ paused: group });
  setInterval(() => undefined, 60_000);
  return new Promise<never>(() => undefined);
}

const client = createDocumentClient({ endpoint: options.endpoint });
const send = client.send.bind(client) as (command: unknown) => Promise<unknown>;
let groups = 0;
Object.assign(client, {
  send: async (command: unknown) => {
    if (!isGroupTransaction(command)) return send(command);
    groups++;
    if (options.pause === 'before' && groups === options.group) await pauseForever(groups);
    const result = await send(command);
    if (options.pause === 'after' && groups === options.group) await pauseForever(groups);
    return result;
  },
});

const deps: ImportDeps = {
  store: { client, tableName: options.tableName, clock: { now: () => new Date() } },
  drop: createFileDropStore(options.root),
  settings: DEFAULT_IMPORT_SETTINGS,
  log: silentLogger,
};

await handleMessage(deps, s3NotificationBody(options.key));
process.send?.({ finished: true });
process.exit(0);
