/**
 * What the import worker reads from its environment. The queue URL is required: without it every chunk
 * of a large file would run inline in one invocation, which a 15-minute Lambda cannot finish.
 */
import * as z from 'zod';
import {
  environmentNames,
  optionalPositiveInteger,
  parseEnvironment,
  requiredText,
  requiredUrl,
  TABLE_VARIABLES,
  type TableSettings,
  tableSettings,
} from '#shared/config.ts';
import { ENV } from '#shared/env-names.ts';

const importEnvironment = z.object({
  ...TABLE_VARIABLES,
  [ENV.bucketName]: requiredText(),
  [ENV.importQueueUrl]: requiredUrl(),
  /** Rows per chunk; the worker's default when unset. */
  [ENV.importChunkRows]: optionalPositiveInteger(),
});

export interface ImportConfig extends TableSettings {
  readonly bucketName: string;
  readonly importQueueUrl: string;
  readonly importChunkRows?: number;
}

/** The variables the import worker reads; the stack test compares them with what the stack sets. */
export const IMPORT_ENVIRONMENT = environmentNames(importEnvironment);

/** Parses the import worker's configuration; throws InvalidConfigurationError naming the variable. */
export function readImportConfig(env: Readonly<Record<string, string | undefined>>): ImportConfig {
  const values = parseEnvironment(importEnvironment, env);
  const chunkRows = values[ENV.importChunkRows];
  return {
    ...tableSettings(values),
    bucketName: values[ENV.bucketName],
    importQueueUrl: values[ENV.importQueueUrl],
    ...(chunkRows === undefined ? {} : { importChunkRows: chunkRows }),
  };
}
