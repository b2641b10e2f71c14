/** The monthly evaluation, without its configuration; reads no environment, so anything may import it. */
import { NotImplementedError } from '#shared/errors.ts';
import type { DropStore } from '#shared/object-store.ts';
import type { StoreDeps } from '#storage/subject-store.ts';

export interface EvaluateDeps {
  readonly store: StoreDeps;
  /** The drop folder: the month's reports go under `reports/`. */
  readonly drop: DropStore;
}

/** Filled in by the evaluation issue; until then it refuses loudly. */
export function createEvaluateHandler(_deps: EvaluateDeps): (event: unknown) => Promise<never> {
  return async () => {
    throw new NotImplementedError('the monthly evaluation');
  };
}
