/** What the exits function reads from its environment: the table, its counter shards and the bucket. */
import * as z from 'zod';
import {
  environmentNames,
  parseEnvironment,
  requiredText,
  TABLE_VARIABLES,
  type TableSettings,
  tableSettings,
} from '#shared/config.ts';
import { ENV } from '#shared/env-names.ts';

const exitsEnvironment = z.object({
  ...TABLE_VARIABLES,
  /** The bucket evidence files are uploaded to (`evidence/…`) and checked in. */
  [ENV.bucketName]: requiredText(),
});

export interface ExitsConfig extends TableSettings {
  readonly bucketName: string;
}

/** The variables the exits function reads; the stack test compares them with what the stack sets. */
export const EXITS_ENVIRONMENT = environmentNames(exitsEnvironment);

/** Parses the exits function's configuration; throws InvalidConfigurationError naming the variable. */
export function readExitsConfig(env: Readonly<Record<string, string | undefined>>): ExitsConfig {
  const values = parseEnvironment(exitsEnvironment, env);
  return { ...tableSettings(values), bucketName: values[ENV.bucketName] };
}
