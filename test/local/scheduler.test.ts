import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  nextScheduledTime,
  type ScheduledEvaluation,
  scheduledEvaluation,
  scheduledTimeOfRun,
  startDailyScheduler,
  startMonthlyScheduler,
} from '../../local/scheduler.ts';

const golden = JSON.parse(
  readFileSync(new URL('../fixtures/events/scheduler-monthly.json', import.meta.url), 'utf8'),
);

afterEach(() => {
  vi.useRealTimers();
});

describe('monthly schedule', () => {
  it('runs at 02:00 Shanghai time on the first, which is 18:00 UTC the day before', () => {
    expect(nextScheduledTime(new Date('2026-11-15T00:00:00Z')).toISOString()).toBe(
      '2026-11-30T18:00:00.000Z',
    );
    expect(nextScheduledTime(new Date('2026-11-30T18:00:00Z')).toISOString()).toBe(
      '2026-12-31T18:00:00.000Z',
    );
    expect(nextScheduledTime(new Date('2027-02-10T00:00:00Z')).toISOString()).toBe(
      '2027-02-28T18:00:00.000Z',
    );
  });

  it('gives a run fired a moment early or late the time it was scheduled for', () => {
    expect(scheduledTimeOfRun(new Date('2026-11-30T18:00:00.350Z')).toISOString()).toBe(
      '2026-11-30T18:00:00.000Z',
    );
    expect(scheduledTimeOfRun(new Date('2026-11-30T18:00:02.000Z')).toISOString()).toBe(
      '2026-11-30T18:00:00.000Z',
    );
    expect(scheduledTimeOfRun(new Date('2026-11-30T17:59:59.990Z')).toISOString()).toBe(
      '2026-11-30T18:00:00.000Z',
    );
  });

  it('formats the input as the scheduler target does, to the second', () => {
    expect(scheduledEvaluation(new Date('2026-11-30T18:00:00.000Z'))).toEqual(golden);
  });

  it('calls the evaluate handler at the scheduled time and carries on after a failing run', async () => {
    // Prepare
    vi.useFakeTimers({ now: new Date('2026-11-30T17:59:58Z') });
    const events: ScheduledEvaluation[] = [];
    const lines: string[] = [];
    const scheduler = startMonthlyScheduler({
      evaluate: async (event) => {
        events.push(event);
        throw new Error('DynamoDB Local is down');
      },
      log: (line) => lines.push(line),
    });
    // Act
    await vi.advanceTimersByTimeAsync(5_000);
    // Assess
    expect(events).toEqual([golden]);
    expect(lines.some((line) => line.includes('failed: DynamoDB Local is down'))).toBe(true);
    expect(scheduler.nextRun()?.toISOString()).toBe('2026-12-31T18:00:00.000Z');
    scheduler.stop();
  });

  it('starts the daily re-triage at 01:00 in Shanghai with the scheduled time, and carries on after a failing run', async () => {
    // Prepare
    vi.useFakeTimers({ now: new Date('2026-11-30T16:59:58Z') });
    const events: ScheduledEvaluation[] = [];
    const lines: string[] = [];
    const scheduler = startDailyScheduler({
      triage: async (event) => {
        events.push(event);
        throw new Error('DynamoDB Local is down');
      },
      log: (line) => lines.push(line),
    });
    // Act
    await vi.advanceTimersByTimeAsync(5_000);
    // Assess
    expect(events).toEqual([{ source: 'schedule', scheduledTime: '2026-11-30T17:00:00Z' }]);
    expect(lines.some((line) => line.includes('daily re-triage') && line.includes('failed'))).toBe(true);
    expect(scheduler.nextRun()?.toISOString()).toBe('2026-12-01T17:00:00.000Z');
    scheduler.stop();
  });
});
