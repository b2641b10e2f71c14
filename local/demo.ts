/**
 * `npm start -- --demo`: a synthetic city loaded into an empty data folder through the store's own
 * writes, so the trail, the counters and the monthly flows are what real use makes. The city is made
 * first, purely and from a fixed seed ({@link generateCity}); then written month by month with a clock
 * inside each month ({@link writeCity}), so each month's flows land in it; then every ended month is
 * evaluated ({@link evaluateCity}) so the reports are ready to open. This file is the entry (`loadDemo`,
 * the empty-folder guard, the wait for triage); the city is made in `demo/city.ts` (with `listing.ts`,
 * `exits.ts`, `random.ts`, `types.ts`) and written and evaluated in `demo/load.ts`.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { shanghaiMonth, TRIAGE_LISTS } from '#domain/model.ts';
import { TRIAGE_COUNTER } from '#domain/triage-state.ts';
import { readCurrentCounters } from '#storage/counter-store.ts';
import { ITEM_TYPES } from '#storage/keys.ts';
import type { StoreDeps } from '#storage/subject-store.ts';
import { campaignMonths, DEMO_SUBJECTS, generateCity } from './demo/city.ts';
import { evaluateCity, writeCity } from './demo/load.ts';
import type { LocalRuntime } from './environment.ts';
import { localStore } from './handlers.ts';

// the pieces live under local/demo/; what tests and scripts import from here stays here
export { campaignMonths, DEMO_SEED, DEMO_SUBJECTS, generateCity } from './demo/city.ts';
export { departmentOf, makeUscc } from './demo/listing.ts';
export { evaluateCity, type WriteProgress, writeCity } from './demo/load.ts';
export { seededRandom } from './demo/random.ts';
export type { CityOptions, DemoCity, DemoExit, DemoListing, DemoMonth } from './demo/types.ts';

// ---------------------------------------------------------------- npm start -- --demo

/** The table already holds subjects: the demo loads only into an empty data folder. */
export class DemoRefusedError extends Error {
  constructor(readonly dataFolder: string) {
    super(
      `演示数据只能载入空的数据目录：${dataFolder} 中已有主体数据。请换一个目录，例如 LOCAL_DIR=.local-demo npm start -- --demo\n` +
        `the demo city loads only into an empty data folder: ${dataFolder} already holds subjects. ` +
        'Use another one, e.g. LOCAL_DIR=.local-demo npm start -- --demo',
    );
    this.name = 'DemoRefusedError';
  }
}

/** Whether any subject is stored (a scan that stops at the first one). */
export async function holdsSubjects(store: Pick<StoreDeps, 'client' | 'tableName'>): Promise<boolean> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await store.client.send(
      new ScanCommand({
        TableName: store.tableName,
        FilterExpression: '#type = :subject',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':subject': ITEM_TYPES.subject },
        ProjectionExpression: 'PK',
        ExclusiveStartKey: start,
      }),
    );
    if ((page.Items?.length ?? 0) > 0) return true;
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return false;
}

/** Active listings triage has not placed yet, over the city. */
export async function unclassifiedListings(store: StoreDeps): Promise<number> {
  let unclassified = 0;
  for (const record of (await readCurrentCounters(store)).values()) {
    const classified = TRIAGE_LISTS.reduce((sum, list) => sum + (record[TRIAGE_COUNTER.list(list)] ?? 0), 0);
    unclassified += (record.activeListings ?? 0) - classified;
  }
  return unclassified;
}

/** The runtime triages from the table's stream by itself; the evaluations wait until it has caught up. */
async function waitForTriage(store: StoreDeps, log: (line: string) => void, timeoutMs = 600_000) {
  const started = Date.now();
  let last = -1;
  for (;;) {
    const left = await unclassifiedListings(store);
    if (left <= 0) return;
    if (Date.now() - started > timeoutMs) {
      log(`demo: triage still has ${left} listings to place; evaluating anyway`);
      return;
    }
    if (left !== last) log(`demo: waiting for triage (${left} listings not yet placed)`);
    last = left;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

/** What to open first, and how. */
export function demoLines(baseUrl: string, lastMonth: string): string[] {
  const report = `${baseUrl}/evaluations/${lastMonth}/report?format=html`;
  return [
    '',
    'demo city loaded. Open first the evaluation report of the last month:',
    `  ${report}`,
    '  TOKEN=$(npm run -s token -- city)',
    `  curl -H "Authorization: Bearer $TOKEN" -o report.html '${report}'`,
    `  curl -H "Authorization: Bearer $TOKEN" ${baseUrl}/evaluations`,
  ];
}

/**
 * Loads the demo city into the runtime's empty table, waits for triage, evaluates every ended month of
 * the campaign, and answers the lines that say what to open first.
 */
export async function loadDemo(runtime: LocalRuntime, subjects = DEMO_SUBJECTS): Promise<string[]> {
  const store = localStore(runtime.dynamoEndpoint, runtime.tableName);
  if (await holdsSubjects(store)) throw new DemoRefusedError(runtime.paths.root);
  const currentMonth = shanghaiMonth(new Date());
  const all = campaignMonths(currentMonth);
  const ended = all.filter((month) => month < currentMonth);
  const city = generateCity({ subjects, months: ended, countMonths: all });
  const log = (line: string) => runtime.log(`demo: ${line}`);
  log(`${subjects} subjects over ${ended.length} months, 24 reporting units`);
  await writeCity(store, city, log);
  await waitForTriage(store, runtime.log);
  await evaluateCity(store, runtime.paths.dropbox, ended, log);
  return demoLines(runtime.baseUrl, ended.at(-1) ?? currentMonth);
}
