/** What the trail function reads from its environment: the table it writes the trail to. */
import * as z from 'zod';
import { environmentNames, parseEnvironment, requiredText } from '#shared/config.ts';
import { ENV } from '#shared/env-names.ts';

const trailEnvironment = z.object({
  [ENV.tableName]: requiredText(),
});

export interface TrailConfig {
  readonly tableName: string;
}

/** The variables the trail function reads; the stack test compares them with what the stack sets. */
export const TRAIL_ENVIRONMENT = environmentNames(trailEnvironment);

/** Parses the trail function's configuration; throws InvalidConfigurationError naming the variable. */
export function readTrailConfig(env: Readonly<Record<string, string | undefined>>): TrailConfig {
  const values = parseEnvironment(trailEnvironment, env);
  return { tableName: values[ENV.tableName] };
}
