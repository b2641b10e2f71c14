/**
 * The schedules, run by croner in Asia/Shanghai as EventBridge Scheduler runs them in the cloud: at 02:00
 * on the first of each month the evaluate handler, at 01:00 every day the start of the daily re-triage,
 * each with the input the schedule's target sends,
 * `{"source":"schedule","scheduledTime":"<aws.scheduler.scheduled-time>"}`.
 */
import { Cron } from 'croner';

export const MONTHLY_CRON = '0 2 1 * *';
export const SCHEDULE_TIMEZONE = 'Asia/Shanghai';

/** The input of the evaluate function on a scheduled run. */
export interface ScheduledEvaluation {
  readonly source: 'schedule';
  /** The scheduled (not the actual) time, UTC, to the second: `2026-11-30T18:00:00Z`. */
  readonly scheduledTime: string;
}

/** The event of a run scheduled at `scheduledAt`, formatted as `<aws.scheduler.scheduled-time>`. */
export function scheduledEvaluation(scheduledAt: Date): ScheduledEvaluation {
  return { source: 'schedule', scheduledTime: `${scheduledAt.toISOString().slice(0, 19)}Z` };
}

/** The time of the first run of `cron` (Asia/Shanghai) strictly after `after`; the monthly one by default. */
export function nextScheduledTime(after: Date, cron: string = MONTHLY_CRON): Date {
  const next = new Cron(cron, { timezone: SCHEDULE_TIMEZONE, paused: true }).nextRun(after);
  if (next === null) throw new Error(`the schedule ${cron} has no next run`);
  return next;
}

/**
 * The scheduled time of a run that fired at `firedAt`. Timers fire a few milliseconds early or late, so
 * the run belongs to the first slot after an hour before it (slots are a day or a month apart).
 */
export function scheduledTimeOfRun(firedAt: Date, cron: string = MONTHLY_CRON): Date {
  return nextScheduledTime(new Date(firedAt.getTime() - 60 * 60_000), cron);
}

export interface Scheduler {
  /** When the next run is due. */
  nextRun(): Date | null;
  stop(): void;
}

/**
 * Runs `cron` in Asia/Shanghai, handing each run the event the stack's schedule target sends. A failing
 * run is logged and the schedule carries on, as a retried target would.
 */
function startSchedule(
  cron: string,
  what: string,
  run: (event: ScheduledEvaluation) => Promise<unknown>,
  log: (line: string) => void = () => undefined,
): Scheduler {
  const job = new Cron(cron, { timezone: SCHEDULE_TIMEZONE, protect: true, unref: true }, async () => {
    const event = scheduledEvaluation(scheduledTimeOfRun(new Date(), cron));
    log(`schedule: ${what} for ${event.scheduledTime} started`);
    try {
      await run(event);
      log(`schedule: ${what} for ${event.scheduledTime} finished`);
    } catch (error) {
      log(`schedule: ${what} for ${event.scheduledTime} failed: ${(error as Error).message}`);
    }
  });
  return { nextRun: () => job.nextRun(), stop: () => job.stop() };
}

export interface MonthlySchedulerOptions {
  readonly evaluate: (event: ScheduledEvaluation) => Promise<unknown>;
  readonly log?: (line: string) => void;
}

/** The monthly evaluation. */
export function startMonthlyScheduler(options: MonthlySchedulerOptions): Scheduler {
  return startSchedule(MONTHLY_CRON, 'evaluation', options.evaluate, options.log);
}

/** The daily re-triage: 01:00 Asia/Shanghai, before the offices open, as the stack's schedule runs it. */
export const DAILY_CRON = '0 1 * * *';

export interface DailySchedulerOptions {
  readonly triage: (event: ScheduledEvaluation) => Promise<unknown>;
  readonly log?: (line: string) => void;
}

/** The daily start of the re-triage of the listings due. */
export function startDailyScheduler(options: DailySchedulerOptions): Scheduler {
  return startSchedule(DAILY_CRON, 'daily re-triage', options.triage, options.log);
}
