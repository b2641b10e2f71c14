import { NotImplementedError } from '#shared/errors.ts';

/** Triage of listings. Filled in by the classification issue; until then it refuses loudly. */
export async function handler(_event: unknown): Promise<never> {
  throw new NotImplementedError('classification');
}
