/**
 * What a write costs on DynamoDB Local, by kind of request: the figures behind the import budget's
 * ceiling (README.md, Benchmark). On one fresh in-memory DynamoDB Local with the table's own definition
 * (stream on, and a second table without it), rounds of raw requests of subject- and listing-shaped
 * items: BatchWriteItem of 25, TransactWriteItems of 92 actions (90 conditioned puts, 2 counter
 * updates), the same without conditions, without index keys, and of 24 and 50 puts; then BatchGetItem
 * of 14 keys, alone and while another writer commits transactions back to back; last, writers side by
 * side for a while each (a transaction writer beside a batch writer, two batch writers…), with how busy
 * DynamoDB Local's one SQLite thread was meanwhile, where /proc tells (Linux). The first round warms
 * up and is not counted. Prints one line per variant.
 *
 *   npx tsx bench/write-costs.ts [--rounds 5]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { DISTRICTS } from '#domain/district.ts';
import type { Listing, Subject } from '#domain/model.ts';
import type { ChangedBy } from '#domain/trail.ts';
import { createDocumentClient } from '#storage/client.ts';
import { keys } from '#storage/keys.ts';
import { listingItem, subjectItem } from '#storage/subject-items.ts';
import { KEY_ATTRIBUTES, TABLE_PARTITION_KEY, TABLE_SORT_KEY } from '#storage/table-definition.ts';
import { ensureTable, startDynamoLocal } from '../local/dynamodb-local.ts';
import { benchUscc } from './push-file.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const ROUNDS = Number(values.rounds);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error('usage: write-costs.ts [--rounds <n ≥ 1>]');
const ITEMS_PER_ROUND = 2_000;
const at = new Date().toISOString();
const changedBy: ChangedBy = {
  principal: 'import-worker',
  role: 'system',
  department: '市信用办',
  cause: { kind: 'import', id: 'bench' },
};
let serial = 0;

/** The indexes' key attributes (GSI1PK, GSI1SK, …): what the variants without index keys leave out. */
const INDEX_KEYS = new Set(
  KEY_ATTRIBUTES.filter((name) => name !== TABLE_PARTITION_KEY && name !== TABLE_SORT_KEY),
);

function withoutIndexKeys(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([name]) => !INDEX_KEYS.has(name)));
}

/** A new listed subject and its court listing, as the store's item builders make them for the import. */
function pair(withIndexKeys: boolean): Record<string, unknown>[] {
  const uscc = benchUscc(serial++);
  const district = (DISTRICTS[serial % DISTRICTS.length] as (typeof DISTRICTS)[number]).code;
  const subject: Subject = {
    uscc,
    name: `石家庄某某商贸有限公司${serial}`,
    district,
    districtSource: 'column',
    flags: {},
    activeListings: 1,
    activeByListType: { 'court-debtor': 1 },
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  const listing: Listing = {
    uscc,
    listType: 'court-debtor',
    key: 'k1',
    department: `${district}人民法院`,
    caseNo: `(2023)冀01执${serial}号`,
    listedAt: '2023-01-15',
    reason: '有履行能力而拒不履行生效法律文书确定的义务',
    status: 'active',
    district,
    source: 'court',
    createdAt: at,
    updatedAt: at,
  };
  const both = [subjectItem(subject, changedBy), listingItem(listing, 1, changedBy)];
  return withIndexKeys ? both : both.map(withoutIndexKeys);
}

function items(count: number, withIndexKeys = true): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  while (out.length < count) out.push(...pair(withIndexKeys));
  return out.slice(0, count);
}

type Write = (client: DynamoDBDocumentClient, table: string) => Promise<number>;

const batch: Write = async (client, table) => {
  const requests = items(25).map((Item) => ({ PutRequest: { Item } }));
  await client.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
  return requests.length;
};

function transaction(puts: number, options: { conditions: boolean; indexKeys: boolean; counters: number }) {
  return (async (client, table) => {
    const actions: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> =
      items(puts, options.indexKeys).map((Item) => ({
        Put: {
          TableName: table,
          Item,
          ...(options.conditions ? { ConditionExpression: 'attribute_not_exists(PK)' } : {}),
        },
      }));
    for (let counter = 0; counter < options.counters; counter++)
      actions.push({
        Update: {
          TableName: table,
          Key: keys.currentCounter(serial % 8, `D${serial}-${counter}`),
          UpdateExpression: 'ADD listed :one SET updatedAt = :at',
          ExpressionAttributeValues: { ':one': 1, ':at': at },
        },
      });
    await client.send(new TransactWriteCommand({ TransactItems: actions }));
    return actions.length;
  }) satisfies Write;
}

/** As the import commits a group: 90 conditioned puts and 2 counter updates. */
const importLike = transaction(90, { conditions: true, indexKeys: true, counters: 2 });

const VARIANTS: [string, Write][] = [
  ['BatchWriteItem of 25', batch],
  ['TransactWriteItems of 92 (90 puts, 2 counters)', importLike],
  ['  the same without conditions', transaction(90, { conditions: false, indexKeys: true, counters: 2 })],
  ['  the same without index keys', transaction(90, { conditions: true, indexKeys: false, counters: 2 })],
  ['TransactWriteItems of 24 puts', transaction(24, { conditions: true, indexKeys: true, counters: 0 })],
  ['TransactWriteItems of 50 puts', transaction(50, { conditions: true, indexKeys: true, counters: 0 })],
];

async function itemsPerSecond(client: DynamoDBDocumentClient, table: string, write: Write) {
  let total = { items: 0, ms: 0 };
  for (let round = 0; round <= ROUNDS; round++) {
    const started = performance.now();
    let written = 0;
    while (written < ITEMS_PER_ROUND) written += await write(client, table);
    if (round > 0) total = { items: total.items + written, ms: total.ms + performance.now() - started };
  }
  return Math.round((total.items / total.ms) * 1000);
}

/** Milliseconds per BatchGetItem of 14 subjects, consistent, as the import reads a group. */
async function readMs(client: DynamoDBDocumentClient, table: string, usccs: readonly string[]) {
  const started = performance.now();
  let calls = 0;
  for (let from = 0; from + 14 <= usccs.length; from += 14, calls++) {
    const Keys = usccs.slice(from, from + 14).map((uscc) => keys.subject(uscc));
    await client.send(new BatchGetCommand({ RequestItems: { [table]: { Keys, ConsistentRead: true } } }));
  }
  return Math.round((performance.now() - started) / calls);
}

/** Clock ticks a second in /proc's CPU times (USER_HZ, 100 on Linux). */
const TICKS_PER_S = 100;

/**
 * CPU seconds DynamoDB Local's SQLite thread has used: every read and write of its data runs on that one
 * thread (sqlite4java's queue), so its busy share is how much of the database a workload used. Undefined
 * where /proc cannot tell.
 */
function sqliteThreadSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    let ticks: number | undefined;
    for (const thread of readdirSync(`/proc/${pid}/task`)) {
      if (!readFileSync(`/proc/${pid}/task/${thread}/comm`, 'utf8').startsWith('SQLiteQueue')) continue;
      // the fields after the name's closing parenthesis: state is the first, utime the 12th, stime the 13th
      const stat = readFileSync(`/proc/${pid}/task/${thread}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks = (ticks ?? 0) + Number(fields[11]) + Number(fields[12]);
    }
    return ticks === undefined ? undefined : ticks / TICKS_PER_S;
  } catch {
    return undefined;
  }
}

/** How long each side-by-side case runs, after a few seconds of the same to settle. */
const SIDE_BY_SIDE_S = 15;
const SETTLE_S = 3;

const SIDE_BY_SIDE: [string, Write[]][] = [
  ['TransactWriteItems of 92, alone', [importLike]],
  ['BatchWriteItem of 25, alone', [batch]],
  ['TransactWriteItems of 92 + a BatchWriteItem writer beside', [importLike, batch]],
  ['BatchWriteItem of 25, two writers', [batch, batch]],
];

/** Items a second of each writer, all writing at once for `seconds`, each on a client of its own. */
async function sideBySide(endpoint: string, table: string, writers: readonly Write[], seconds: number) {
  const clients = writers.map(() => createDocumentClient({ endpoint }));
  const written = writers.map(() => 0);
  const ends = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    writers.map(async (write, index) => {
      while (performance.now() < ends)
        written[index] =
          (written[index] ?? 0) + (await write(clients[index] as DynamoDBDocumentClient, table));
    }),
  );
  const elapsedS = (performance.now() - started) / 1000;
  for (const client of clients) client.destroy();
  return { perWriter: written.map((items) => Math.round(items / elapsedS)), elapsedS };
}

async function printSideBySide(endpoint: string, pid: number | undefined) {
  for (const [name, writers] of SIDE_BY_SIDE) {
    await sideBySide(endpoint, 'with-stream', writers, SETTLE_S);
    const cpuBefore = sqliteThreadSeconds(pid);
    const { perWriter, elapsedS } = await sideBySide(endpoint, 'with-stream', writers, SIDE_BY_SIDE_S);
    const cpuAfter = sqliteThreadSeconds(pid);
    const busy =
      cpuBefore === undefined || cpuAfter === undefined
        ? ''
        : `; SQLite thread busy ${Math.round(((cpuAfter - cpuBefore) / elapsedS) * 100)}%`;
    process.stdout.write(`side by side  ${name}: ${perWriter.join(' + ')} items/s${busy}\n`);
  }
}

const dynamo = await startDynamoLocal();
try {
  await ensureTable(dynamo.endpoint, 'with-stream');
  await ensureTable(dynamo.endpoint, 'without-stream', { stream: false });
  const client = createDocumentClient({ endpoint: dynamo.endpoint });
  for (const table of ['with-stream', 'without-stream'])
    for (const [name, write] of VARIANTS)
      process.stdout.write(`${table}  ${name}: ${await itemsPerSecond(client, table, write)} items/s\n`);

  // the first 980 subjects the batches wrote
  const stored = Array.from({ length: 980 }, (_, index) => benchUscc(index));
  process.stdout.write(
    `BatchGetItem of 14, alone: ${await readMs(client, 'with-stream', stored)} ms a call\n`,
  );
  let committing = true;
  const committer = (async () => {
    while (committing) await importLike(client, 'with-stream');
  })();
  const contended = await readMs(client, 'with-stream', stored);
  committing = false;
  await committer;
  process.stdout.write(`BatchGetItem of 14, while transactions commit: ${contended} ms a call\n`);
  await printSideBySide(dynamo.endpoint, dynamo.process.pid);
} finally {
  await dynamo.stop();
}
