/**
 * Runs one import through the real worker in a process of its own, so that its peak RSS is the worker's
 * alone: `--endpoint <url> --table <name> --root <drop folder> --key <incoming/push/…>`. Prints one
 * line of JSON on stdout at its end ({@link ImportChildResult}); progress goes to stderr.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { silentLogger } from '#shared/logger.ts';
import { createDocumentClient } from '#storage/client.ts';
import { systemClock } from '#storage/subject-store.ts';
import { handleMessage } from '../functions/import/create-handler.ts';
import type { ImportCounts } from '../functions/import/model.ts';
import { DEFAULT_IMPORT_SETTINGS, type ImportDeps } from '../functions/import/worker.ts';
import { getImport, listImports } from '../functions/storage/import-store.ts';
import { createFileDropStore } from '../local/adapters/file-drop-store.ts';
import { objectCreatedRecord } from '../local/s3-event.ts';
import { type MemoryPeaks, sampleMemory } from './memory.ts';
import { emptyProfile, type ImportProfile, profiledClient, profiledDropStore } from './profile.ts';

export interface ImportChildResult {
  readonly importId: string;
  readonly seconds: number;
  /** Epoch milliseconds when the import's message was handed to the worker. */
  readonly startedAt: number;
  /** The receipt's `finishedAt` (status `succeeded`), epoch milliseconds. */
  readonly finishedAt: number;
  readonly maxRssKb: number;
  readonly memory: MemoryPeaks;
  readonly counts: ImportCounts;
  readonly profile: ImportProfile;
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
  throw new Error('usage: import-child.ts --endpoint <url> --table <name> --root <dir> --key <key>');
}

const client = createDocumentClient({ endpoint });
const profile = emptyProfile();
const origin = performance.now();
const store = { client: profiledClient(client, profile, origin), tableName: table, clock: systemClock };
const deps: ImportDeps = {
  store,
  drop: profiledDropStore(createFileDropStore(root), profile, origin),
  // one chunk, written in this process: the single worker the budget compares with
  settings: { ...DEFAULT_IMPORT_SETTINGS, chunkRows: 1_000_000 },
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

const sampler = sampleMemory(origin);
const started = performance.now();
const startedAt = Date.now();
await handleMessage(deps, body);
const seconds = (performance.now() - started) / 1000;
const memory = sampler.stop();

const fileName = key.split('/').slice(2).join('/');
const { items } = await listImports(store, { limit: 20 });
const listed = items.find((item) => item.fileName === fileName);
const record = listed === undefined ? undefined : await getImport(store, listed.importId);
if (record === undefined) throw new Error(`no receipt for ${key}`);
if (record.status !== 'succeeded' || record.counts === undefined) {
  throw new Error(
    `import ${record.importId} ended ${record.status}: ${record.rejectReason ?? ''} ${record.rejectMessage ?? record.heldMessage ?? ''}`,
  );
}
client.destroy();

const result: ImportChildResult = {
  importId: record.importId,
  seconds,
  startedAt,
  finishedAt: Date.parse(record.finishedAt ?? new Date().toISOString()),
  maxRssKb: process.resourceUsage().maxRSS,
  memory,
  counts: record.counts,
  profile,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
