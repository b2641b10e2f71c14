/** What the classify function reads from its environment: the table and its counter shards. */
import * as z from 'zod';
import {
  environmentNames,
  parseEnvironment,
  TABLE_VARIABLES,
  type TableSettings,
  tableSettings,
} from '#shared/config.ts';

const classifyEnvironment = z.object(TABLE_VARIABLES);

export type ClassifyConfig = TableSettings;

/** The variables the classify function reads; the stack test compares them with what the stack sets. */
export const CLASSIFY_ENVIRONMENT = environmentNames(classifyEnvironment);

/** Parses the classify function's configuration; throws InvalidConfigurationError naming the variable. */
export function readClassifyConfig(env: Readonly<Record<string, string | undefined>>): ClassifyConfig {
  return tableSettings(parseEnvironment(classifyEnvironment, env));
}
