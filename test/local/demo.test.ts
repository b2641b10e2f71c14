/**
 * The demo city (`npm start -- --demo`): made purely from a seed, written through the store on a table
 * with its stream, triaged from that stream, and evaluated month by month. A small city here (200
 * subjects, the campaign's first three months); the default size is checked without writing it.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLOW } from '#domain/counting.ts';
import { DISTRICTS } from '#domain/district.ts';
import { TRIAGE_LISTS } from '#domain/model.ts';
import { TRIAGE_COUNTER } from '#domain/triage-state.ts';
import { validateUscc } from '#domain/uscc.ts';
import { reportKey } from '#shared/evaluation-report/report-files.ts';
import { readCurrentCounters, readMonthlyFlows } from '#storage/counter-store.ts';
import { readEnterpriseCounts } from '#storage/evaluation-store.ts';
import { getExit } from '#storage/exit-store.ts';
import type { StoreDeps } from '#storage/subject-store.ts';
import {
  campaignMonths,
  DEMO_SUBJECTS,
  DemoRefusedError,
  evaluateCity,
  generateCity,
  holdsSubjects,
  loadDemo,
  unclassifiedListings,
  writeCity,
} from '../../local/demo.ts';
import type { LocalRuntime } from '../../local/environment.ts';
import { localPaths } from '../../local/paths.ts';
import { createTestTable, type TestTable } from '../support/dynamo.ts';
import { type TriageReader, triageReader } from '../support/triage.ts';

const MONTHS = ['2022-11', '2022-12', '2023-01'];

describe('the demo city, as made', () => {
  const all = campaignMonths('2026-11');
  const ended = all.slice(0, -1);
  const city = generateCity({ subjects: DEMO_SUBJECTS, months: ended, countMonths: all });

  it('is the same city for the same seed, another for another', () => {
    const small = (seed?: number) =>
      JSON.stringify(
        generateCity({ subjects: 50, months: MONTHS, ...(seed === undefined ? {} : { seed }) }).months,
      );
    expect(small()).toBe(small());
    expect(small(7)).not.toBe(small());
  });

  it('covers the campaign from 2022-11, with tens of thousands of enterprises in every unit every month', () => {
    expect(all[0]).toBe('2022-11');
    expect(all.at(-1)).toBe('2026-11');
    expect([...city.enterprises.keys()]).toEqual(all);
    for (const counts of city.enterprises.values()) {
      expect([...counts.keys()].sort()).toEqual(DISTRICTS.map(({ code }) => code).sort());
      for (const count of counts.values()) {
        expect(count).toBeGreaterThanOrEqual(10_000);
        expect(count).toBeLessThanOrEqual(120_000);
      }
    }
  });

  it('lists thousands of subjects with valid USCCs, mostly 91, of four list types, in every month', () => {
    const listings = city.months.flatMap(({ listings }) => listings);
    expect(listings).toHaveLength(DEMO_SUBJECTS);
    expect(new Set(listings.map(({ uscc }) => uscc)).size).toBe(DEMO_SUBJECTS);
    for (const { uscc } of listings) expect(validateUscc(uscc)).toMatchObject({ ok: true, warnings: [] });
    expect(listings.filter(({ uscc }) => uscc.startsWith('91')).length / listings.length).toBeGreaterThan(
      0.9,
    );
    expect(new Set(listings.map(({ listType }) => listType)).size).toBe(4);
    expect(new Set(listings.map(({ district }) => district)).size).toBe(24);
    for (const month of city.months) {
      expect(month.listings.length).toBeGreaterThan(0);
      for (const listing of month.listings) expect(listing.writtenAt.length).toBeGreaterThan(0);
    }
    for (const month of city.months.slice(1)) {
      expect(month.exits.length).toBeGreaterThan(0);
      for (const exit of month.exits) expect(exit.request.effectiveDate.slice(0, 7)).toBe(month.month);
    }
  });
});

describe('the demo city, written, triaged and evaluated', () => {
  let table: TestTable;
  let store: StoreDeps;
  let triage: TriageReader;
  let dropRoot: string;
  let ratios: Map<string, number | null>;
  const city = generateCity({ subjects: 200, months: MONTHS, countMonths: [...MONTHS, '2023-02'] });

  beforeAll(async () => {
    table = await createTestTable('demo', { stream: true });
    store = { client: table.documentClient, tableName: table.tableName, clock: { now: () => new Date() } };
    triage = triageReader(table);
    dropRoot = await mkdtemp(join(tmpdir(), 'demo-'));
    expect(await holdsSubjects(store)).toBe(false);
    await writeCity(store, city);
    await triage.drain();
    ratios = await evaluateCity(store, dropRoot, MONTHS);
  }, 180_000);

  afterAll(async () => {
    await triage.stop();
  });

  it('gives every one of the 24 units its enterprise count in every month', async () => {
    const counts = await readEnterpriseCounts(store, [...MONTHS, '2023-02']);
    expect(counts.size).toBe(4);
    for (const month of counts.values()) {
      expect(month.size).toBe(24);
      for (const count of month.values()) expect(count).toBeGreaterThan(0);
    }
  });

  it('has every active listing placed by triage, on each of the three lists', async () => {
    expect(await unclassifiedListings(store)).toBe(0);
    const totals = Object.fromEntries(TRIAGE_LISTS.map((list) => [list, 0]));
    for (const record of (await readCurrentCounters(store)).values())
      for (const list of TRIAGE_LISTS)
        totals[list] = (totals[list] ?? 0) + (record[TRIAGE_COUNTER.list(list)] ?? 0);
    for (const list of TRIAGE_LISTS) expect(totals[list], list).toBeGreaterThan(0);
  });

  it('confirms exits in the months they took effect, through the three offices', async () => {
    for (const [index, month] of MONTHS.entries()) {
      const flows = await readMonthlyFlows(store, month);
      const exited = [...flows.values()].reduce((sum, record) => sum + (record[FLOW.exited] ?? 0), 0);
      const listed = [...flows.values()].reduce((sum, record) => sum + (record[FLOW.newlyListed] ?? 0), 0);
      expect(listed, month).toBe(city.months[index]?.listings.length);
      expect(exited, month).toBe(city.months[index]?.exits.length);
      if (index > 0) expect(exited, month).toBeGreaterThan(0);
    }
    const exit = city.months[1]?.exits[0];
    const stored = exit === undefined ? undefined : await getExit(store, exit.exitId);
    expect(stored?.status).toBe('confirmed');
    const round = stored?.rounds[0];
    const principals = [round?.submitted.principal, round?.review?.principal, round?.confirmation?.principal];
    expect(new Set(principals).size).toBe(3);
    expect(principals[2]).toBe('local:city');
  });

  it('evaluates each month with the city ratio falling month on month, the reports written', async () => {
    const values = MONTHS.map((month) => ratios.get(month));
    for (const value of values) expect(value).toBeTypeOf('number');
    const [first, second, third] = values as number[];
    expect(second).toBeLessThan(first as number);
    expect(third).toBeLessThan(second as number);
    for (const month of MONTHS) {
      const html = await readFile(join(dropRoot, reportKey(month, 'html')), 'utf8');
      expect(html).toContain('<svg');
    }
  });

  it('refuses to load into a table that holds subjects, in Chinese and English', async () => {
    const runtime: LocalRuntime = {
      paths: localPaths(dropRoot),
      port: 0,
      baseUrl: 'http://127.0.0.1:0',
      dynamoEndpoint: table.endpoint,
      tableName: table.tableName,
      bucketName: 'unused',
      enqueueImport: () => Promise.reject(new Error('unused')),
      log: () => undefined,
    };
    const refusal = await loadDemo(runtime, 10).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DemoRefusedError);
    expect((refusal as Error).message).toMatch(/空的数据目录[\s\S]*empty data folder/);
  });
});
