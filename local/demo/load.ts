/**
 * The demo city written through the store's own writes, month by month with a clock inside each month
 * ({@link writeCity}), so the trail, the counters and the monthly flows are what real use makes; then
 * every ended month evaluated in order ({@link evaluateCity}) so the reports are ready to open.
 */
import { planRecordListing, planRegistryUpdate } from '#domain/changes.ts';
import { planExitConfirmed, planExitPending, planExitStep } from '#domain/exit-steps.ts';
import { confirmExit, type ExitActor, type ExitDecision, reviewExit } from '#domain/exits.ts';
import type { ChangedBy } from '#domain/trail.ts';
import { createReportWriter } from '#shared/evaluation-report/report-files.ts';
import { silentLogger } from '#shared/logger.ts';
import { reportContextReader } from '#storage/evaluation-report-context.ts';
import { runEvaluation } from '#storage/evaluation-run.ts';
import { putBenchmark, putEnterpriseCounts } from '#storage/evaluation-store.ts';
import { advanceExit, openExit } from '#storage/exit-store.ts';
import { changeSubjectWith, type StoreDeps } from '#storage/subject-store.ts';
import { newSubmission } from '../../functions/exits/routes/submissions.ts';
import { createFileDropStore } from '../adapters/file-drop-store.ts';
import { localSubject } from '../auth.ts';
import type { DemoCity, DemoExit, DemoListing } from './types.ts';

const LOADER: ChangedBy = {
  principal: 'system:demo',
  role: 'system',
  cause: { kind: 'system', id: 'demo-city' },
  reason: '演示城市：名单与登记状态',
};

export type WriteProgress = (line: string) => void;

/** The store with a clock stopped at `at`: the write's flows land in that month. */
function at(store: StoreDeps, instant: string): StoreDeps {
  const now = new Date(instant);
  return { ...store, clock: { now: () => now } };
}

async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}

/** One listing as an import writes it, with the registry's status, in one transaction. */
async function writeListing(store: StoreDeps, listing: DemoListing): Promise<void> {
  const ref = { uscc: listing.uscc, listType: listing.listType, key: listing.key };
  await changeSubjectWith(at(store, listing.writtenAt), listing.uscc, LOADER, () => [
    {
      ref,
      planner: planRecordListing(
        { uscc: listing.uscc, name: listing.name, district: listing.district, districtSource: 'column' },
        {
          listType: listing.listType,
          key: listing.key,
          department: listing.department,
          caseNo: listing.key,
          listedAt: listing.listedAt,
          reason: listing.reason,
          ...(listing.listType === 'court-debtor' ? { performance: 'none' } : {}),
          source: 'demo',
        },
        () => undefined,
      ),
    },
    {
      planner: planRegistryUpdate(
        {
          registrationStatus: listing.registrationStatus,
          ...(listing.movedTo === undefined ? {} : { movedTo: listing.movedTo }),
          flags: listing.flags,
        },
        () => undefined,
      ),
    },
  ]);
}

function officeActor(actor: ExitActor, exitId: string, reason: string): ChangedBy {
  const { at: _at, ...who } = actor;
  return { ...who, cause: { kind: 'request', id: `demo-${exitId}` }, reason };
}

/** The four-eyes path: the department submits, the district office reviews, the city confirms. */
async function writeExit(store: StoreDeps, exit: DemoExit): Promise<void> {
  const ref = { uscc: exit.uscc, listType: exit.listType, key: exit.key };
  const department: ExitActor = {
    principal: localSubject({ role: 'department', department: exit.department }),
    role: 'department',
    department: exit.department,
    at: exit.submittedAt,
  };
  const office: ExitDecision = {
    principal: localSubject({ role: 'district', district: exit.district }),
    role: 'district',
    district: exit.district,
    at: exit.reviewedAt,
    decision: 'approve',
    comment: '材料齐全，同意退出',
  };
  const city: ExitDecision = {
    principal: localSubject({ role: 'city' }),
    role: 'city',
    at: exit.confirmedAt,
    decision: 'approve',
    comment: '同意退出',
  };
  await openExit(
    at(store, exit.submittedAt),
    ref,
    officeActor(department, exit.exitId, '申报退出'),
    (current) => {
      if (current.subject === undefined || current.listing === undefined)
        throw new Error(`demo: listing of ${exit.uscc} not written`);
      return newSubmission(
        exit.exitId,
        { subject: current.subject, listing: current.listing },
        { ...exit.request, round: 1, submitted: department },
      );
    },
    planExitPending,
  );
  await advanceExit(
    at(store, exit.reviewedAt),
    exit.exitId,
    officeActor(office, exit.exitId, '区县信用办审核通过'),
    {
      next: (stored) => reviewExit(stored, office),
      listing: planExitStep,
    },
  );
  await advanceExit(
    at(store, exit.confirmedAt),
    exit.exitId,
    officeActor(city, exit.exitId, '市信用办确认退出'),
    {
      next: (stored) => confirmExit(stored, city),
      listing: (next) => planExitConfirmed(next, exit.request),
      flowMonth: () => exit.request.effectiveDate.slice(0, 7),
    },
  );
}

const COUNTS_LOADER: ChangedBy = {
  principal: 'local:city',
  role: 'city',
  cause: { kind: 'system', id: 'demo-city' },
  reason: '演示城市：企业法人数与对标值',
};

/** Writes the city month by month through the store; `width` writes run at once. */
export async function writeCity(
  store: StoreDeps,
  city: DemoCity,
  progress: WriteProgress = () => undefined,
  width = 8,
): Promise<void> {
  for (const [month, counts] of city.enterprises) {
    const inMonth = at(store, `${month}-01T02:00:00.000Z`);
    await putEnterpriseCounts(inMonth, month, counts, COUNTS_LOADER);
    const benchmark = city.benchmarks.get(month);
    if (benchmark !== undefined) await putBenchmark(inMonth, month, benchmark, COUNTS_LOADER);
  }
  progress(`enterprise counts of ${city.enterprises.size} months written`);
  for (const { month, listings, exits } of city.months) {
    const started = Date.now();
    await inParallel(listings, width, (listing) => writeListing(store, listing));
    await inParallel(exits, width, (exit) => writeExit(store, exit));
    progress(
      `${month}: ${listings.length} listed, ${exits.length} exits confirmed (${Date.now() - started} ms)`,
    );
  }
}

// ---------------------------------------------------------------- evaluating it

const EVALUATOR: ChangedBy = {
  principal: 'system:demo',
  role: 'system',
  cause: { kind: 'system', id: 'demo-city' },
  reason: '演示城市：逐月评估',
};

/** Evaluates the months in order (each month's trend reads the ones before), writing the reports. */
export async function evaluateCity(
  store: StoreDeps,
  dropRoot: string,
  months: readonly string[],
  progress: WriteProgress = () => undefined,
): Promise<Map<string, number | null>> {
  const writeReports = createReportWriter(createFileDropStore(dropRoot), reportContextReader(store));
  const ratios = new Map<string, number | null>();
  for (const month of months) {
    const stored = await runEvaluation({ store, logger: silentLogger, writeReports }, month, EVALUATOR);
    const { ratio, numerator, denominator } = stored.snapshot.city;
    ratios.set(month, ratio);
    progress(
      `${month} evaluated: ${numerator} / ${denominator} = ${ratio === null ? '—' : `${(ratio * 100).toFixed(3)}%`}`,
    );
  }
  return ratios;
}
