/**
 * What the exit queues show beside each submission: how long it has waited, and which submissions a
 * month of submission takes in. Days and months are Asia/Shanghai's (no daylight saving, UTC+8).
 */
import type { ExitRound, ExitSubmission } from './exits.ts';
import { shanghaiDate } from './model.ts';

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The round the offices act on now: the last one. */
export function currentExitRound(exit: Pick<ExitSubmission, 'rounds'>): ExitRound | undefined {
  return exit.rounds.at(-1);
}

/**
 * Whole days from the day (Asia/Shanghai) the current round was submitted to `now`'s day: 0 on the day
 * itself, 1 the next day, whatever the hour.
 */
export function waitingDays(submittedAt: string, now: Date): number {
  const from = Date.parse(`${shanghaiDate(new Date(submittedAt))}T00:00:00Z`);
  const to = Date.parse(`${shanghaiDate(now)}T00:00:00Z`);
  return Math.max(0, Math.round((to - from) / DAY_MS));
}

/**
 * The instants (ISO, UTC) a month of Asia/Shanghai runs between: `from` inclusive, `to` exclusive.
 * `2026-05` → `2026-04-30T16:00:00.000Z` … `2026-05-31T16:00:00.000Z`.
 */
export function shanghaiMonthSpan(month: string): { from: string; to: string } {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const start = Date.UTC(year, monthNumber - 1, 1) - SHANGHAI_OFFSET_MS;
  const end = Date.UTC(year, monthNumber, 1) - SHANGHAI_OFFSET_MS;
  return { from: new Date(start).toISOString(), to: new Date(end).toISOString() };
}
