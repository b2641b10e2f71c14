/**
 * The benchmark's figures against the budgets of README.md (Benchmark), and the lines that say where the
 * import's time and memory went.
 */
import type { BatchWriteChildResult } from './batchwrite-child.ts';
import type { CheckBenchResult } from './checks.ts';
import type { ImportChildResult } from './import-child.ts';
import type { ImportProfile } from './profile.ts';
import type { TrailChildResult } from './trail-child.ts';

export const BUDGET_IMPORT_VS_BATCHWRITE = 0.7;
export const BUDGET_PEAK_RSS_MB = 200;
export const BUDGET_TRAIL_LAG_S = 30;
export const BUDGET_CHECK_VS_GETITEM = 0.2;

/** The passes a push's import makes over its file, in order (the first scan also hashes it). */
const PASS_NAMES = ['scan', 'write', 'final scan'];

export const round = (value: number, digits: number) => Number(value.toFixed(digits));

export interface Measured {
  readonly imported: ImportChildResult;
  readonly trail: TrailChildResult;
  /** One writer. */
  readonly baseline: BatchWriteChildResult;
  /** Concurrent writers. */
  readonly parallel: BatchWriteChildResult;
}

/**
 * The import's time runs from its message to the later of its receipt's end and the last trail entry
 * written: the trail is part of the work an import makes, as are its items.
 */
export function importTotals({ imported, trail }: Pick<Measured, 'imported' | 'trail'>) {
  const importEnd = imported.startedAt + imported.seconds * 1000;
  const end = Math.max(importEnd, trail.lastWriteAt);
  return {
    seconds: (end - imported.startedAt) / 1000,
    items: imported.counts.itemsWritten + trail.entries,
    trailLagS: trail.lastWriteAt === 0 ? 0 : (trail.lastWriteAt - imported.finishedAt) / 1000,
  };
}

/** The figures the budget speaks of, in the order they are printed, ending with the verdict. */
export function figures(measured: Measured) {
  const { imported, trail, baseline, parallel } = measured;
  const total = importTotals(measured);
  const importItemsPerS = total.items / total.seconds;
  const batchWriteItemsPerS = baseline.items / baseline.seconds;
  const parallelItemsPerS = parallel.items / parallel.seconds;
  const ratio = round(importItemsPerS / batchWriteItemsPerS, 2);
  const rssMb = round(imported.maxRssKb / 1024, 1);
  const lag = round(total.trailLagS, 2);
  const over: string[] = [];
  if (ratio < BUDGET_IMPORT_VS_BATCHWRITE)
    over.push(`import_vs_batchwrite ${ratio} < ${BUDGET_IMPORT_VS_BATCHWRITE}`);
  if (rssMb >= BUDGET_PEAK_RSS_MB) over.push(`import_peak_rss_mb ${rssMb} >= ${BUDGET_PEAK_RSS_MB}`);
  if (lag >= BUDGET_TRAIL_LAG_S) over.push(`trail_lag_s ${lag} >= ${BUDGET_TRAIL_LAG_S}`);
  return {
    import_rows: imported.counts.rows,
    import_items_written: imported.counts.itemsWritten,
    trail_items_written: trail.entries,
    items_written: total.items,
    import_receipt_seconds: round(imported.seconds, 2),
    import_seconds: round(total.seconds, 2),
    import_rows_per_s: Math.round(imported.counts.rows / total.seconds),
    import_items_per_s: Math.round(importItemsPerS),
    batchwrite_items: baseline.items,
    batchwrite_seconds: round(baseline.seconds, 2),
    batchwrite_items_per_s: Math.round(batchWriteItemsPerS),
    batchwrite_parallel_writers: parallel.writers,
    batchwrite_parallel_seconds: round(parallel.seconds, 2),
    batchwrite_parallel_items_per_s: Math.round(parallelItemsPerS),
    import_vs_batchwrite: ratio,
    import_vs_batchwrite_parallel: round(importItemsPerS / parallelItemsPerS, 2),
    import_peak_rss_mb: rssMb,
    trail_lag_s: lag,
    trail_peak_rss_mb: round(trail.maxRssKb / 1024, 1),
    budget_import_vs_batchwrite: BUDGET_IMPORT_VS_BATCHWRITE,
    budget_peak_rss_mb: BUDGET_PEAK_RSS_MB,
    budget_trail_lag_s: BUDGET_TRAIL_LAG_S,
    verdict: over.length === 0 ? 'ok' : `over-budget (${over.join('; ')})`,
  };
}

/** The check's figures: one 1 000-code batch against 1 000 sequential GetItem calls, with its verdict. */
export function checkFigures(checks: CheckBenchResult) {
  const ratio = round(checks.checkMs / checks.getitemMs, 3);
  return {
    getitem_1000_ms: Math.round(checks.getitemMs),
    check_batch_1000_ms: Math.round(checks.checkMs),
    check_vs_getitem: ratio,
    budget_check_vs_getitem: BUDGET_CHECK_VS_GETITEM,
    checks_verdict:
      ratio <= BUDGET_CHECK_VS_GETITEM
        ? 'ok'
        : `over-budget (check_vs_getitem ${ratio} > ${BUDGET_CHECK_VS_GETITEM})`,
  };
}

function passName(index: number, passes: number): string {
  return passes === PASS_NAMES.length ? (PASS_NAMES[index] as string) : `pass ${index + 1}`;
}

function describeCommits({ firstStartMs, lastEndMs, idleMs }: ImportProfile['transactions']): string {
  if (firstStartMs < 0) return 'commits: none';
  const seconds = (ms: number) => (ms / 1000).toFixed(2);
  return `commits: the first began at ${seconds(firstStartMs)} s, the last ended at ${seconds(lastEndMs)} s; none in flight for ${seconds(idleMs)} s of those ${seconds(lastEndMs - firstStartMs)} s`;
}

/** Each pass over the file, DynamoDB time by command, memory by phase. */
export function describeImport(imported: ImportChildResult): string[] {
  const { passes, commands, waitingMs, transactions } = imported.profile;
  const lines = passes.map(
    (pass, index) =>
      `pass ${passName(index, passes.length)}: ${((pass.endMs - pass.startMs) / 1000).toFixed(2)} s, ${(pass.bytes / 1024 / 1024).toFixed(1)} MB`,
  );
  for (const [name, tally] of Object.entries(commands).sort(([, a], [, b]) => b.ms - a.ms)) {
    lines.push(
      `${name}: ${tally.count} calls, ${(tally.ms / 1000).toFixed(2)} s, ${(tally.ms / tally.count).toFixed(2)} ms/call, ${(tally.items / tally.count).toFixed(1)} items/call`,
    );
  }
  const waiting = waitingMs / 1000;
  lines.push(
    `waiting on DynamoDB ${waiting.toFixed(2)} s of ${imported.seconds.toFixed(2)} s; the rest (reading, parsing, planning) ${(imported.seconds - waiting).toFixed(2)} s`,
  );
  lines.push(describeCommits(transactions));
  const { timeline: _timeline, ...peaks } = imported.memory;
  lines.push(`memory peaks (MB): ${JSON.stringify(peaks)}`);
  return [...lines, ...describeMemory(imported)];
}

/** Peak RSS and heap during each pass and the work that follows it, from the sampled timeline. */
function describeMemory(imported: ImportChildResult): string[] {
  const { passes } = imported.profile;
  return passes.map((pass, index) => {
    const until = passes[index + 1]?.startMs ?? Number.POSITIVE_INFINITY;
    const window = imported.memory.timeline.filter(([ms]) => ms >= pass.startMs && ms < until);
    const name = passName(index, passes.length);
    if (window.length === 0) return `from ${name} on: too short to sample`;
    const rss = Math.max(...window.map(([, value]) => value));
    const heap = Math.max(...window.map(([, , value]) => value));
    return `from ${name} on: peak RSS ${rss} MB, heap used ${heap} MB`;
  });
}
