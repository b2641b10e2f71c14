/** What the classify function reads from its environment. */
import { z } from 'zod';
import {
  counterShardsOf,
  environmentNames,
  optionalPositiveInteger,
  parseEnvironment,
  requiredText,
} from '#shared/config.ts';
import { ENV } from '#shared/env-names.ts';

const classifyEnvironment = z.object({
  [ENV.tableName]: requiredText(),
  /** Write shards of the district counters; DEFAULT_COUNTER_SHARDS when unset. */
  [ENV.counterShards]: optionalPositiveInteger(),
});

export interface ClassifyConfig {
  readonly tableName: string;
  readonly counterShards?: number;
}

/** The variables the classify function reads; the stack test compares them with what the stack sets. */
export const CLASSIFY_ENVIRONMENT = environmentNames(classifyEnvironment);

/** Parses the classify function's configuration; throws InvalidConfigurationError naming the variable. */
export function readClassifyConfig(env: Readonly<Record<string, string | undefined>>): ClassifyConfig {
  const values = parseEnvironment(classifyEnvironment, env);
  return { tableName: values[ENV.tableName], ...counterShardsOf(values[ENV.counterShards]) };
}
