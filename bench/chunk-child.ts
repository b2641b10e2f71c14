/**
 * One import worker of the conflicts bench, in a process of its own like one Lambda invocation:
 * `--notify` hands the drop folder's notification to the worker with a queue that keeps the chunk
 * messages, and prints them; `--message <json> --start-at <epoch ms>` waits until then (so that all
 * workers start together), handles that one chunk message, and prints the transactions it sent
 * ({@link ChunkChildResult}). Both take `--endpoint --table --root --key --counter-shards --chunk-rows`.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { silentLogger } from '#shared/logger.ts';
import { createDocumentClient } from '#storage/client.ts';
import { systemClock } from '#storage/subject-store.ts';
import { handleMessage } from '../functions/import/create-handler.ts';
import { DEFAULT_IMPORT_SETTINGS, type ImportDeps } from '../functions/import/worker.ts';
import { createFileDropStore } from '../local/adapters/file-drop-store.ts';
import { objectCreatedRecord } from '../local/s3-event.ts';
import { type LoggedTransaction, transactionLoggingClient } from './transaction-log.ts';

export interface NotifyChildResult {
  readonly messages: string[];
}

export interface ChunkChildResult {
  readonly seconds: number;
  readonly transactions: LoggedTransaction[];
}

const { values } = parseArgs({
  options: {
    endpoint: { type: 'string' },
    table: { type: 'string' },
    root: { type: 'string' },
    key: { type: 'string' },
    'counter-shards': { type: 'string' },
    'chunk-rows': { type: 'string' },
    notify: { type: 'boolean', default: false },
    message: { type: 'string' },
    'start-at': { type: 'string', default: '0' },
  },
});
const { endpoint, table, root, key } = values;
const counterShards = Number(values['counter-shards']);
const chunkRows = Number(values['chunk-rows']);
if (
  endpoint === undefined ||
  table === undefined ||
  root === undefined ||
  key === undefined ||
  !Number.isInteger(counterShards) ||
  !Number.isInteger(chunkRows) ||
  (!values.notify && values.message === undefined)
) {
  throw new Error(
    'usage: chunk-child.ts --endpoint <url> --table <name> --root <dir> --key <key> --counter-shards <n> --chunk-rows <n> (--notify | --message <json> --start-at <ms>)',
  );
}

const client = createDocumentClient({ endpoint });
const transactions: LoggedTransaction[] = [];
const messages: string[] = [];
const deps: ImportDeps = {
  store: {
    client: transactionLoggingClient(client, transactions),
    tableName: table,
    clock: systemClock,
    counterShards,
  },
  drop: createFileDropStore(root),
  queue: {
    async send(body) {
      messages.push(body);
    },
  },
  settings: { ...DEFAULT_IMPORT_SETTINGS, chunkRows },
  log: silentLogger,
};

async function notification(): Promise<string> {
  const { size } = await stat(join(root as string, key as string));
  return JSON.stringify({
    Records: [
      objectCreatedRecord({
        key: key as string,
        size,
        eTag: createHash('md5')
          .update(key as string)
          .digest('hex'),
        bucketName: 'drop',
        eventTime: new Date(),
      }),
    ],
  });
}

if (values.notify) {
  await handleMessage(deps, await notification());
  client.destroy();
  const result: NotifyChildResult = { messages };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const wait = Number(values['start-at']) - Date.now();
  if (wait > 0) await sleep(wait);
  const started = performance.now();
  await handleMessage(deps, values.message as string);
  const seconds = (performance.now() - started) / 1000;
  client.destroy();
  const result: ChunkChildResult = { seconds, transactions };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
