/**
 * The baseline the import budget is measured against: raw BatchWriteItem, 25 items a request, of
 * subject-like items (about a dozen strings, a distinct partition each), by `--writers` writers (default
 * 1), each sending one request after the other as the import's single worker writes. Runs in its own
 * process, like the import: `--endpoint <url> --table <name> --items <n> [--writers <w>]`. Prints one
 * line of JSON on stdout at its end.
 */
import { parseArgs } from 'node:util';
import { DISTRICTS } from '#domain/district.ts';
import { batchWriteAll } from '#storage/batch.ts';
import { createDocumentClient } from '#storage/client.ts';
import { indexKeys } from '#storage/keys.ts';
import { benchUscc } from './push-file.ts';

export interface BatchWriteChildResult {
  readonly items: number;
  readonly writers: number;
  readonly seconds: number;
  readonly maxRssKb: number;
}

/** Items built and handed to batchWriteAll at a time, so that memory stays flat in the item count. */
const SLICE = 1_000;

const { values } = parseArgs({
  options: {
    endpoint: { type: 'string' },
    table: { type: 'string' },
    items: { type: 'string' },
    writers: { type: 'string', default: '1' },
    'no-index-keys': { type: 'boolean', default: false },
  },
});
const withIndexKeys = !values['no-index-keys'];
const { endpoint, table } = values;
const total = Number(values.items);
const writers = Number(values.writers);
if (
  endpoint === undefined ||
  table === undefined ||
  !Number.isInteger(total) ||
  total < 0 ||
  !Number.isInteger(writers) ||
  writers < 1
) {
  throw new Error('usage: batchwrite-child.ts --endpoint <url> --table <name> --items <n> [--writers <w>]');
}

/** Shaped like a subject with its listing's facts: keys, type, names, codes, dates. */
function subjectLikeItem(index: number, at: string): Record<string, unknown> {
  const uscc = benchUscc(index);
  const district = DISTRICTS[index % DISTRICTS.length] as (typeof DISTRICTS)[number];
  return {
    PK: `SUBJ#${uscc}`,
    SK: 'PROFILE',
    type: 'subject',
    uscc,
    name: `石家庄某某商贸有限公司${String(index + 1).padStart(5, '0')}`,
    district: district.code,
    districtSource: 'column',
    listType: 'court-debtor',
    department: `${district.name}人民法院`,
    caseNo: `(2023)冀01执${index + 1}号`,
    listedAt: '2023-01-15',
    reason: '有履行能力而拒不履行生效法律文书确定的义务',
    createdAt: at,
    updatedAt: at,
    version: 1,
    // a listed subject sits in two sparse indexes, as subjectItem() puts it there
    ...(withIndexKeys ? indexKeys.listedSubject(district.code, uscc) : {}),
    ...(withIndexKeys ? indexKeys.subjectByOrgCode(uscc.slice(8, 17), uscc) : {}),
  };
}

const tableName = table;
const client = createDocumentClient({ endpoint });
const at = new Date().toISOString();
/** One writer: slices `writer`, `writer + writers`, … one request after the other. */
async function write(writer: number): Promise<void> {
  for (let from = writer * SLICE; from < total; from += writers * SLICE) {
    const requests = [];
    for (let index = from; index < Math.min(total, from + SLICE); index++)
      requests.push({ PutRequest: { Item: subjectLikeItem(index, at) } });
    await batchWriteAll(client, tableName, requests);
  }
}

const started = performance.now();
await Promise.all(Array.from({ length: writers }, (_, writer) => write(writer)));
const seconds = (performance.now() - started) / 1000;
client.destroy();

const result: BatchWriteChildResult = {
  items: total,
  writers,
  seconds,
  maxRssKb: process.resourceUsage().maxRSS,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
