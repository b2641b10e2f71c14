/** What the monthly evaluation reads from its environment. */
import { z } from 'zod';
import {
  counterShardsOf,
  environmentNames,
  optionalPositiveInteger,
  parseEnvironment,
  requiredText,
} from '#shared/config.ts';
import { ENV } from '#shared/env-names.ts';

const evaluateEnvironment = z.object({
  [ENV.tableName]: requiredText(),
  /** Write shards of the district counters; DEFAULT_COUNTER_SHARDS when unset. */
  [ENV.counterShards]: optionalPositiveInteger(),
  /** The drop folder: the month's reports are written under `reports/`. */
  [ENV.bucketName]: requiredText(),
});

export interface EvaluateConfig {
  readonly tableName: string;
  readonly counterShards?: number;
  readonly bucketName: string;
}

/** The variables the evaluation reads; the stack test compares them with what the stack sets. */
export const EVALUATE_ENVIRONMENT = environmentNames(evaluateEnvironment);

/** Parses the evaluation's configuration; throws InvalidConfigurationError naming the variable. */
export function readEvaluateConfig(env: Readonly<Record<string, string | undefined>>): EvaluateConfig {
  const values = parseEnvironment(evaluateEnvironment, env);
  return {
    tableName: values[ENV.tableName],
    ...counterShardsOf(values[ENV.counterShards]),
    bucketName: values[ENV.bucketName],
  };
}
