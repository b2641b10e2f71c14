/**
 * The monthly schedule, run by croner in Asia/Shanghai as EventBridge Scheduler runs it in the cloud:
 * at 02:00 on the first of each month it calls the evaluate handler with the input the schedule's target
 * sends, `{"source":"schedule","scheduledTime":"<aws.scheduler.scheduled-time>"}`.
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

/** The time of the first scheduled run strictly after `after`. */
export function nextScheduledTime(after: Date): Date {
  const next = new Cron(MONTHLY_CRON, { timezone: SCHEDULE_TIMEZONE, paused: true }).nextRun(after);
  if (next === null) throw new Error('the monthly schedule has no next run');
  return next;
}

/**
 * The scheduled time of a run that fired at `firedAt`. Timers fire a few milliseconds early or late, so
 * the run belongs to the first slot after an hour before it (slots are a month apart).
 */
export function scheduledTimeOfRun(firedAt: Date): Date {
  return nextScheduledTime(new Date(firedAt.getTime() - 60 * 60_000));
}

export interface MonthlySchedulerOptions {
  readonly evaluate: (event: ScheduledEvaluation) => Promise<unknown>;
  readonly log?: (line: string) => void;
}

export interface MonthlyScheduler {
  /** When the next run is due. */
  nextRun(): Date | null;
  stop(): void;
}

/** Starts the schedule. A failing run is logged and the schedule carries on, as a retried target would. */
export function startMonthlyScheduler(options: MonthlySchedulerOptions): MonthlyScheduler {
  const log = options.log ?? (() => undefined);
  const job = new Cron(
    MONTHLY_CRON,
    { timezone: SCHEDULE_TIMEZONE, protect: true, unref: true },
    async () => {
      const event = scheduledEvaluation(scheduledTimeOfRun(new Date()));
      log(`schedule: evaluation for ${event.scheduledTime} started`);
      try {
        await options.evaluate(event);
        log(`schedule: evaluation for ${event.scheduledTime} finished`);
      } catch (error) {
        log(`schedule: evaluation for ${event.scheduledTime} failed: ${(error as Error).message}`);
      }
    },
  );
  return { nextRun: () => job.nextRun(), stop: () => job.stop() };
}

/** The daily re-triage: 01:00 Asia/Shanghai, before the offices open, as the stack's schedule runs it. */
export const DAILY_CRON = '0 1 * * *';

export interface DailySchedulerOptions {
  readonly triage: (event: { source: 'schedule'; scheduledTime: string }) => Promise<unknown>;
  readonly log?: (line: string) => void;
}

/** Starts the daily schedule; a failing run is logged and the next day's run still comes. */
export function startDailyScheduler(options: DailySchedulerOptions): {
  nextRun(): Date | null;
  stop(): void;
} {
  const log = options.log ?? (() => undefined);
  const job = new Cron(DAILY_CRON, { timezone: SCHEDULE_TIMEZONE, protect: true, unref: true }, async () => {
    // the slot this run belongs to: timers fire a little early or late, slots are a day apart
    const slot = new Cron(DAILY_CRON, { timezone: SCHEDULE_TIMEZONE, paused: true }).nextRun(
      new Date(Date.now() - 60 * 60_000),
    );
    const event = scheduledEvaluation(slot ?? new Date());
    try {
      await options.triage(event);
      log(`schedule: daily re-triage for ${event.scheduledTime} started`);
    } catch (error) {
      log(`schedule: daily re-triage for ${event.scheduledTime} failed: ${(error as Error).message}`);
    }
  });
  return { nextRun: () => job.nextRun(), stop: () => job.stop() };
}
