/**
 * The joint-punishment check's budget (README.md, Benchmark): one batch of 1 000 codes, 300 of them
 * listed on the constraint list, answered by the storage function behind `POST /checks` (record included),
 * against 1 000 sequential GetItem calls of subjects on the same table in the same run. The subjects are
 * written straight with the store's item builders, not through the import.
 */
import type { CheckAnswer } from '#domain/checks.ts';
import { runCheck } from '#storage/check-store.ts';
import { createDocumentClient } from '#storage/client.ts';
import { getSubject, type StoreDeps, systemClock } from '#storage/subject-store.ts';
import { seedCheckSubjects, usccOf } from '../test/support/checks.ts';

const CODES = 1_000;
const LISTED = 300;
/** GetItem calls before the timed ones, as the check has its warm-up call. */
const GETITEM_WARM_UP = 20;

export interface CheckBenchResult {
  readonly codes: number;
  readonly listed: number;
  readonly getitemMs: number;
  readonly checkMs: number;
}

const BENCH_ACTOR = {
  principal: 'bench',
  role: 'consumer',
  cause: { kind: 'request' as const, id: 'bench' },
};

function check(store: StoreDeps, checkId: string, codes: readonly string[]): Promise<CheckAnswer[]> {
  return runCheck(store, { checkId, codes, actor: BENCH_ACTOR, channel: 'api' });
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
}

/** Seeds the table, then times the 1 000 GetItem calls and the 1 000-code check (after one warm-up). */
export async function measureChecks(
  endpoint: string,
  tableName: string,
  progress: (message: string) => void,
): Promise<CheckBenchResult> {
  const client = createDocumentClient({ endpoint });
  const store: StoreDeps = { client, tableName, clock: systemClock };
  try {
    const codes = Array.from({ length: CODES }, (_, index) => usccOf(index));
    progress(`checks: seeding ${CODES} subjects, ${LISTED} with an active listing on the constraint list`);
    await seedCheckSubjects(store, { listed: codes.slice(0, LISTED), unlisted: codes.slice(LISTED) });
    await check(store, 'bench-warm-up', codes);
    for (const uscc of codes.slice(0, GETITEM_WARM_UP)) await getSubject(store, uscc);
    const getitem = await timed(async () => {
      for (const uscc of codes) await getSubject(store, uscc);
    });
    const checked = await timed(() => check(store, 'bench-check', codes));
    const listed = checked.value.filter((answer) => answer.listed).length;
    if (listed !== LISTED) throw new Error(`the check found ${listed} listed codes, expected ${LISTED}`);
    progress(
      `checks: ${CODES} GetItem in ${getitem.ms.toFixed(0)} ms; one ${CODES}-code check in ${checked.ms.toFixed(0)} ms`,
    );
    return { codes: CODES, listed, getitemMs: getitem.ms, checkMs: checked.ms };
  } finally {
    client.destroy();
  }
}
