/** What the API function reads from its environment. */
import { z } from 'zod';
import {
  counterShardsOf,
  environmentNames,
  optionalPositiveInteger,
  parseEnvironment,
  requiredText,
  requiredUrl,
} from '#shared/config.ts';
import { ENV } from '#shared/env-names.ts';

const apiEnvironment = z.object({
  [ENV.tableName]: requiredText(),
  /** Write shards of the district counters; DEFAULT_COUNTER_SHARDS when unset. */
  [ENV.counterShards]: optionalPositiveInteger(),
  /** The drop folder: upload URLs are presigned for it. */
  [ENV.bucketName]: requiredText(),
  /** A released push goes back to the import worker through this queue. */
  [ENV.importQueueUrl]: requiredUrl(),
  /** Reclassification and evaluation runs on request (wired by their issues). */
  [ENV.classifyFunctionName]: requiredText(),
  [ENV.evaluateFunctionName]: requiredText(),
});

export interface ApiConfig {
  readonly tableName: string;
  readonly counterShards?: number;
  readonly bucketName: string;
  readonly importQueueUrl: string;
  readonly classifyFunctionName: string;
  readonly evaluateFunctionName: string;
}

/** The variables the API reads; the stack test compares them with what the stack sets. */
export const API_ENVIRONMENT = environmentNames(apiEnvironment);

/** Parses the API's configuration; throws InvalidConfigurationError naming the variable. */
export function readApiConfig(env: Readonly<Record<string, string | undefined>>): ApiConfig {
  const values = parseEnvironment(apiEnvironment, env);
  return {
    tableName: values[ENV.tableName],
    ...counterShardsOf(values[ENV.counterShards]),
    bucketName: values[ENV.bucketName],
    importQueueUrl: values[ENV.importQueueUrl],
    classifyFunctionName: values[ENV.classifyFunctionName],
    evaluateFunctionName: values[ENV.evaluateFunctionName],
  };
}
