/**
 * Runs the real import worker on one drop-folder file in a process of its own and reports how the import
 * ended and the process's peak RSS: `--endpoint <url> --table <name> --root <drop folder> --key
 * <incoming/…>`. Prints one line of JSON ({@link BombChildResult}).
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { silentLogger } from '#shared/logger.ts';
import { createDocumentClient } from '#storage/client.ts';
import { systemClock } from '#storage/subject-store.ts';
import { handleMessage } from '../functions/import/create-handler.ts';
import { DEFAULT_IMPORT_SETTINGS, type ImportDeps } from '../functions/import/worker.ts';
import { listImports } from '../functions/storage/import-store.ts';
import { createFileDropStore } from '../local/adapters/file-drop-store.ts';
import { objectCreatedRecord } from '../local/s3-event.ts';
import { type MemoryPeaks, sampleMemory } from './memory.ts';

export interface BombChildResult {
  readonly status: string;
  readonly rejectReason?: string;
  readonly rejectMessage?: string;
  readonly seconds: number;
  readonly maxRssKb: number;
  readonly memory: MemoryPeaks;
}

const { values } = parseArgs({
  options: {
    endpoint: { type: 'string' },
    table: { type: 'string' },
    root: { type: 'string' },
    key: { type: 'string' },
  },
});
const { endpoint, table, root, key } = values;
if (endpoint === undefined || table === undefined || root === undefined || key === undefined) {
  throw new Error('usage: xlsx-bomb-child.ts --endpoint <url> --table <name> --root <dir> --key <key>');
}

const client = createDocumentClient({ endpoint });
const store = { client, tableName: table, clock: systemClock };
const deps: ImportDeps = {
  store,
  drop: createFileDropStore(root),
  settings: DEFAULT_IMPORT_SETTINGS,
  log: silentLogger,
};

const { size } = await stat(join(root, key));
const body = JSON.stringify({
  Records: [
    objectCreatedRecord({
      key,
      size,
      eTag: createHash('md5').update(key).digest('hex'),
      bucketName: 'drop',
      eventTime: new Date(),
    }),
  ],
});

const origin = performance.now();
const sampler = sampleMemory(origin);
await handleMessage(deps, body);
const seconds = (performance.now() - origin) / 1000;
const memory = sampler.stop();

const fileName = key.split('/').slice(2).join('/');
const record = (await listImports(store, { limit: 20 })).items.find((item) => item.fileName === fileName);
if (record === undefined) throw new Error(`no receipt for ${key}`);
client.destroy();

const result: BombChildResult = {
  status: record.status,
  ...(record.rejectReason === undefined ? {} : { rejectReason: record.rejectReason }),
  ...(record.rejectMessage === undefined ? {} : { rejectMessage: record.rejectMessage }),
  seconds,
  maxRssKb: process.resourceUsage().maxRSS,
  memory,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
