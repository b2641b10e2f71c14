/** Triage of listings, without its configuration; reads no environment, so anything may import it. */
import { NotImplementedError } from '#shared/errors.ts';
import type { StoreDeps } from '#storage/subject-store.ts';

export interface ClassifyDeps {
  readonly store: StoreDeps;
}

/** Filled in by the classification issue; until then it refuses loudly. */
export function createClassifyHandler(_deps: ClassifyDeps): (event: unknown) => Promise<never> {
  return async () => {
    throw new NotImplementedError('classification');
  };
}
