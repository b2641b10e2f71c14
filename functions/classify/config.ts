/** What the classify function reads from its environment. */
import { z } from 'zod';
import { environmentNames, parseEnvironment, requiredText } from '#shared/config.ts';
import { ENV } from '#shared/env-names.ts';

const classifyEnvironment = z.object({
  [ENV.tableName]: requiredText(),
});

export interface ClassifyConfig {
  readonly tableName: string;
}

/** The variables the classify function reads; the stack test compares them with what the stack sets. */
export const CLASSIFY_ENVIRONMENT = environmentNames(classifyEnvironment);

/** Parses the classify function's configuration; throws InvalidConfigurationError naming the variable. */
export function readClassifyConfig(env: Readonly<Record<string, string | undefined>>): ClassifyConfig {
  const values = parseEnvironment(classifyEnvironment, env);
  return { tableName: values[ENV.tableName] };
}
