/** What the API function reads from its environment. */
import * as z from 'zod';
import {
  environmentNames,
  parseEnvironment,
  requiredText,
  requiredUrl,
  TABLE_VARIABLES,
  type TableSettings,
  tableSettings,
} from '#shared/config.ts';
import { ENV } from '#shared/env-names.ts';

const apiEnvironment = z.object({
  ...TABLE_VARIABLES,
  /** The drop folder: upload URLs are presigned for it. */
  [ENV.bucketName]: requiredText(),
  /** A released push goes back to the import worker through this queue. */
  [ENV.importQueueUrl]: requiredUrl(),
  /** Evaluation runs on request (wired by their issue). */
  [ENV.evaluateFunctionName]: requiredText(),
});

export interface ApiConfig extends TableSettings {
  readonly bucketName: string;
  readonly importQueueUrl: string;
  readonly evaluateFunctionName: string;
}

/** The variables the API reads; the stack test compares them with what the stack sets. */
export const API_ENVIRONMENT = environmentNames(apiEnvironment);

/** Parses the API's configuration; throws InvalidConfigurationError naming the variable. */
export function readApiConfig(env: Readonly<Record<string, string | undefined>>): ApiConfig {
  const values = parseEnvironment(apiEnvironment, env);
  return {
    ...tableSettings(values),
    bucketName: values[ENV.bucketName],
    importQueueUrl: values[ENV.importQueueUrl],
    evaluateFunctionName: values[ENV.evaluateFunctionName],
  };
}
