/** The monthly evaluation, without its configuration; reads no environment, so anything may import it. */
import type { EvaluationSnapshot } from '#domain/evaluation.ts';
import { shiftMonth } from '#domain/evaluation-figures.ts';
import { shanghaiMonth } from '#domain/model.ts';
import type { ChangedBy } from '#domain/trail.ts';
import { ValidationError } from '#shared/errors.ts';
import { createLogger, type Logger } from '#shared/logger.ts';
import type { DropStore } from '#shared/object-store.ts';
import { MonthNotEndedError, runEvaluation } from '#storage/evaluation-run.ts';
import type { StoreDeps } from '#storage/subject-store.ts';

export interface EvaluateDeps {
  readonly store: StoreDeps;
  /** The drop folder: the month's reports go under `reports/`. */
  readonly drop: DropStore;
  readonly logger?: Logger;
  /** Writes the month's reports from the stored snapshot (the reports' writer plugs in here). */
  readonly writeReports?: (snapshot: EvaluationSnapshot) => Promise<void>;
}

/** The schedule's input: 02:00 on the 1st, Asia/Shanghai, for the month just ended. */
export interface ScheduledEvaluation {
  readonly source: 'schedule';
  readonly scheduledTime: string;
}

/** `npm run evaluate -- <yyyy-mm>`. */
export interface ManualEvaluation {
  readonly source: 'manual';
  readonly month: string;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The month an event asks for and who asks: the schedule's from its time, never from the clock. */
export function monthOfEvent(event: unknown): { month: string; changedBy: ChangedBy } {
  const candidate = event as { source?: unknown; scheduledTime?: unknown; month?: unknown } | null;
  if (candidate?.source === 'schedule' && typeof candidate.scheduledTime === 'string') {
    const at = new Date(candidate.scheduledTime);
    if (Number.isNaN(at.getTime())) throw new ValidationError(`计划时间无效：${candidate.scheduledTime}`);
    const month = shiftMonth(shanghaiMonth(at), -1);
    return {
      month,
      changedBy: {
        principal: 'system:evaluate',
        role: 'system',
        cause: { kind: 'schedule', id: candidate.scheduledTime },
      },
    };
  }
  if (candidate?.source === 'manual' && typeof candidate.month === 'string' && MONTH.test(candidate.month)) {
    return {
      month: candidate.month,
      changedBy: {
        principal: 'local:evaluate',
        role: 'system',
        cause: { kind: 'system', id: `manual-${candidate.month}` },
      },
    };
  }
  throw new ValidationError(
    '评估请求无效：应为 { source: "schedule", scheduledTime } 或 { source: "manual", month }',
  );
}

/** The handler: evaluates the event's month and answers the stored snapshot. */
export function createEvaluateHandler(deps: EvaluateDeps): (event: unknown) => Promise<EvaluationSnapshot> {
  // stderr by default: `npm run evaluate` prints the snapshot on stdout.
  const logger =
    deps.logger ?? createLogger({ function: 'evaluate' }, (line) => process.stderr.write(`${line}\n`));
  return async (event) => {
    const { month, changedBy } = monthOfEvent(event);
    try {
      const stored = await runEvaluation(
        {
          store: deps.store,
          logger: logger.child({ month }),
          ...(deps.writeReports ? { writeReports: deps.writeReports } : {}),
        },
        month,
        changedBy,
      );
      return stored.snapshot;
    } catch (error) {
      if (error instanceof MonthNotEndedError) throw new ValidationError(error.detail);
      throw error;
    }
  };
}
