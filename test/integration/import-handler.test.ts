/**
 * The import Lambda with the real event shape: the golden S3-inside-SQS fixture, as the queue delivers
 * it, against DynamoDB Local and a drop folder on disk.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { SQSEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '#shared/logger.ts';
import { readCurrentCounters } from '#storage/counter-store.ts';
import { createImportHandler } from '../../functions/import/create-handler.ts';
import { DEFAULT_IMPORT_SETTINGS } from '../../functions/import/worker.ts';
import { listImports } from '../../functions/storage/import-store.ts';
import { createFileDropStore } from '../../local/adapters/file-drop-store.ts';
import { createFileWorkQueue } from '../../local/adapters/file-work-queue.ts';
import { createTestTable, type TestTable } from '../support/dynamo.ts';

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/events/sqs-s3-object-created.json', import.meta.url), 'utf8'),
) as SQSEvent;

let table: TestTable;
let dropRoot: string;
let handler: (event: SQSEvent) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

beforeAll(async () => {
  table = await createTestTable('import-handler');
  dropRoot = mkdtempSync(join(tmpdir(), 'drop-handler-'));
  handler = createImportHandler({
    store: { client: table.documentClient, tableName: table.tableName, clock: { now: () => new Date() } },
    drop: createFileDropStore(dropRoot),
    queue: createFileWorkQueue(mkdtempSync(join(tmpdir(), 'queue-handler-'))),
    settings: DEFAULT_IMPORT_SETTINGS,
    log: silentLogger,
  });
});

describe('import handler', () => {
  it('imports the file an S3 notification names, key URL-decoded (名单 2022.csv)', async () => {
    // Prepare: the fixture's key is incoming/push/%E5%90%8D%E5%8D%95+2022.csv
    const path = join(dropRoot, 'incoming/push/名单 2022.csv');
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(
      path,
      '企业名称,统一社会信用代码,所属区县,名单类型,认定部门,案号,列入日期\n' +
        '石家庄甲商贸有限公司,914403001922038216,长安区,失信被执行人,长安区人民法院,(2022)冀0102执1号,2022-11-03\n',
    );

    // Act
    const result = await handler(fixture);

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    const { items } = await listImports(
      { client: table.documentClient, tableName: table.tableName },
      { limit: 5 },
    );
    expect(items).toHaveLength(1);
    expect(items[0]?.status).toBe('succeeded');
    expect(items[0]?.fileName).toBe('名单 2022.csv');
    expect(items[0]?.counts?.listingsNew).toBe(1);
    const counters = await readCurrentCounters({ client: table.documentClient, tableName: table.tableName });
    expect(counters.get('130102')?.listedSubjects).toBe(1);
  });

  it('reports a message it cannot read as a partial batch failure, and handles the others', async () => {
    // Prepare
    const good = fixture.Records[0] as SQSEvent['Records'][number];
    const event: SQSEvent = {
      Records: [
        { ...good, messageId: 'broken-message', body: '{"not":"an s3 notification"}' },
        { ...good, messageId: 'repeat-of-the-good-one' },
      ],
    };

    // Act
    const result = await handler(event);

    // Assess: the repeat finds its import done; only the broken message is retried
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'broken-message' }]);
    const { items } = await listImports(
      { client: table.documentClient, tableName: table.tableName },
      { limit: 5 },
    );
    expect(items).toHaveLength(1);
  });
});
