/** What the exits function reads from its environment. */
import { z } from 'zod';
import {
  counterShardsOf,
  environmentNames,
  optionalPositiveInteger,
  parseEnvironment,
  requiredText,
} from '#shared/config.ts';
import { ENV } from '#shared/env-names.ts';

const exitsEnvironment = z.object({
  [ENV.tableName]: requiredText(),
  /** Write shards of the district counters; DEFAULT_COUNTER_SHARDS when unset. */
  [ENV.counterShards]: optionalPositiveInteger(),
});

export interface ExitsConfig {
  readonly tableName: string;
  readonly counterShards?: number;
}

/** The variables the exits function reads; the stack test compares them with what the stack sets. */
export const EXITS_ENVIRONMENT = environmentNames(exitsEnvironment);

/** Parses the exits function's configuration; throws InvalidConfigurationError naming the variable. */
export function readExitsConfig(env: Readonly<Record<string, string | undefined>>): ExitsConfig {
  const values = parseEnvironment(exitsEnvironment, env);
  return { tableName: values[ENV.tableName], ...counterShardsOf(values[ENV.counterShards]) };
}
