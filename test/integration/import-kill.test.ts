/**
 * A worker killed mid-file and retried (docs/files.md, Sending the same file twice): a child process runs the real worker on a
 * 3 000-row file against this file's table and is killed with SIGKILL at a known write group; the S3
 * notification is then delivered again, in this process. No subject, listing or count may be doubled.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { shanghaiMonth } from '#domain/model.ts';
import { keys } from '#storage/keys.ts';
import { getImport } from '../../functions/storage/import-store.ts';
import { expectCountersEqualRecount } from '../support/counters.ts';
import { createTableOnOwnDynamo, type TestTable } from '../support/dynamo.ts';
import {
  COURT_HEADER,
  courtRow,
  dropImportId,
  itemsOfType,
  makeUscc,
  readFlow,
  residentId,
  utf8Csv,
} from '../support/files.ts';
import { createImportHarness } from '../support/imports.ts';
import { expectOneEntryPerCommittedChange } from '../support/trail.ts';

const ROWS = 3000;
const DISTRICTS = ['长安区', '桥西区', '新华区', '裕华区', '正定县'];
const DISTRICT_CODES = ['130102', '130104', '130105', '130108', '130123'];

interface CourtFile {
  readonly lines: string[][];
  readonly listings: Set<string>;
  readonly subjects: Set<string>;
  readonly persons: number;
  readonly rejected: number;
  /** Active listings per district code. */
  readonly listingsByDistrict: Map<string, number>;
}

/**
 * A court file with the mess of real ones: mostly new subjects, some subjects listed again under other
 * case numbers 30 rows later and some 1 501 rows later (in another read buffer and write group),
 * adjacent repeated rows, codes that fail the check, and natural persons.
 */
function courtFile(): CourtFile {
  const lines: string[][] = [[...COURT_HEADER]];
  const listings = new Set<string>();
  const subjects = new Set<string>();
  const listingsByDistrict = new Map<string, number>();
  const districtOf = new Map<number, number>();
  let persons = 0;
  let rejected = 0;
  const add = (serial: number, caseNo: string) => {
    const district = districtOf.get(serial) ?? serial % DISTRICTS.length;
    districtOf.set(serial, district);
    const uscc = makeUscc(serial);
    lines.push(
      courtRow({ name: `石家庄中断测试公司${serial}`, uscc, district: DISTRICTS[district], caseNo }),
    );
    if (!listings.has(`${uscc}#${caseNo}`)) {
      const code = DISTRICT_CODES[district] as string;
      listingsByDistrict.set(code, (listingsByDistrict.get(code) ?? 0) + 1);
    }
    listings.add(`${uscc}#${caseNo}`);
    subjects.add(uscc);
  };
  for (let row = 1; lines.length <= ROWS; row++) {
    if (row % 100 === 37) {
      rejected++;
      lines.push(
        courtRow({ name: `错码公司${row}`, uscc: '914403001922038217', caseNo: `(2022)冀执错${row}号` }),
      );
    } else if (row % 100 === 61) {
      persons++;
      const id = residentId(`13010219800101${String(row % 1000).padStart(3, '0')}`);
      lines.push(courtRow({ name: `自然人${row}`, uscc: id, caseNo: `(2022)冀执人${row}号` }));
    } else if (row % 50 === 10) {
      lines.push([...(lines[lines.length - 1] as string[])]);
    } else if (row % 400 === 200 && row > 2000) {
      add(row - 1501, `(2022)冀执远${row}号`);
    } else if (row % 40 === 20 && row > 40) {
      add(row - 30, `(2022)冀执再${row}号`);
    } else {
      add(row, `(2022)冀执${row}号`);
    }
  }
  return { lines, listings, subjects, persons, rejected, listingsByDistrict };
}

/**
 * How far chunk 0 got, read from its item as stored: the last row written (`checkpoint`), the groups
 * committed past it (`groupsDone`, where the worker plans groups ahead of its checkpoint), the rows
 * counted so far.
 */
async function chunkProgress(table: TestTable, importId: string) {
  const result = await table.documentClient.send(
    new GetCommand({ TableName: table.tableName, Key: keys.importChunk(importId, 0), ConsistentRead: true }),
  );
  const item = result.Item ?? {};
  return {
    checkpoint: Number(item.checkpoint ?? -1),
    groupsDone: Number(item.groupsDone ?? 0),
    rows: Number(item.rows ?? 0),
    done: item.done === true,
  };
}

let child: ChildProcess | undefined;

let ownDynamo: { stop(): Promise<void> } | undefined;

afterEach(async () => {
  if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = undefined;
  await ownDynamo?.stop();
  ownDynamo = undefined;
});

/** Starts the worker in a child process; resolves once it has stopped at the chosen group. */
function startChild(options: Record<string, unknown>): Promise<{ paused: number }> {
  const script = join(import.meta.dirname, '../support/import-worker-child.ts');
  let stderr = '';
  child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(options)], {
    cwd: join(import.meta.dirname, '../..'),
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child?.on('message', (message: { paused?: number; finished?: boolean }) => {
      if (message.paused !== undefined) resolve({ paused: message.paused });
      else reject(new Error('the worker finished before it could be killed'));
    });
    child?.on('exit', (code, signal) => reject(new Error(`worker exited (${code ?? signal}): ${stderr}`)));
  });
}

function killChild(): Promise<void> {
  return new Promise((resolve) => {
    const running = child;
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return resolve();
    running.once('exit', () => resolve());
    running.kill('SIGKILL');
  });
}

describe('a worker killed mid-file', () => {
  it.each([
    { pause: 'after', group: 5, when: 'right after the 5th group committed' },
    { pause: 'before', group: 7, when: 'with the 7th group read and its row errors written, not committed' },
    { pause: 'after', group: 55, when: 'right after the 55th group committed, late in the file' },
  ] as const)(
    'leaves no duplicate, in the data or the trail, when killed $when and retried',
    { timeout: 300_000 },
    async ({ pause, group }) => {
      // Prepare
      // its stream fills with thousands of records: a DynamoDB Local of its own keeps the others fast
      const table = await createTableOnOwnDynamo('import-kill');
      ownDynamo = table;
      const harness = createImportHarness(table);
      const file = courtFile();
      const key = harness.drop('court', '失信被执行人-大文件.csv', utf8Csv(file.lines));
      const importId = dropImportId(key);
      await startChild({
        endpoint: table.endpoint,
        tableName: table.tableName,
        root: harness.root,
        key,
        pause,
        group,
      });
      const interrupted = await chunkProgress(table, importId);
      expect(interrupted.done).toBe(false);
      expect(interrupted.checkpoint > -1 || interrupted.groupsDone > 0).toBe(true);
      expect(interrupted.rows).toBeGreaterThan(0);
      const written = (await itemsOfType(harness.deps.store, 'listing')).length;
      expect(written).toBeGreaterThan(0);
      expect(written).toBeLessThan(file.listings.size);
      expect((await getImport(harness.deps.store, importId))?.status).toBe('running');
      await killChild();
      // Act
      await harness.notify(key);
      // Assess
      const receipt = await getImport(harness.deps.store, importId);
      expect(receipt?.status).toBe('succeeded');
      expect(receipt?.counts).toMatchObject({
        rows: ROWS,
        listingsNew: file.listings.size,
        subjectsNew: file.subjects.size,
        personsSkipped: file.persons,
        rejected: file.rejected,
      });
      expect(await itemsOfType(harness.deps.store, 'listing')).toHaveLength(file.listings.size);
      expect(await itemsOfType(harness.deps.store, 'subject')).toHaveLength(file.subjects.size);
      const stored = await expectCountersEqualRecount(harness.deps.store);
      for (const [district, count] of file.listingsByDistrict)
        expect(stored.get(district)?.activeListings).toBe(count);
      const month = shanghaiMonth(new Date(receipt?.finishedAt ?? ''));
      let newlyListed = 0;
      for (const district of DISTRICT_CODES)
        newlyListed += Number((await readFlow(harness.deps.store, month, district))?.newlyListed ?? 0);
      expect(newlyListed).toBe(file.subjects.size);
      // the trail, read from the stream: one entry per committed change, none for the killed group
      const trail = await expectOneEntryPerCommittedChange(table, expect);
      expect(trail.items).toBe(file.listings.size + file.subjects.size);
      expect(existsSync(join(harness.root, `processed/court/${importId}/失信被执行人-大文件.csv`))).toBe(
        true,
      );
    },
  );
});
