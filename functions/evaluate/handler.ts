import { NotImplementedError } from '#shared/errors.ts';

/** The monthly evaluation. Filled in by the evaluation issue; until then it refuses loudly. */
export async function handler(_event: unknown): Promise<never> {
  throw new NotImplementedError('the monthly evaluation');
}
