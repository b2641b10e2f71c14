/** What the exits function reads from its environment: the table and its counter shards. */
import { z } from 'zod';
import {
  environmentNames,
  parseEnvironment,
  TABLE_VARIABLES,
  type TableSettings,
  tableSettings,
} from '#shared/config.ts';

const exitsEnvironment = z.object(TABLE_VARIABLES);

export type ExitsConfig = TableSettings;

/** The variables the exits function reads; the stack test compares them with what the stack sets. */
export const EXITS_ENVIRONMENT = environmentNames(exitsEnvironment);

/** Parses the exits function's configuration; throws InvalidConfigurationError naming the variable. */
export function readExitsConfig(env: Readonly<Record<string, string | undefined>>): ExitsConfig {
  return tableSettings(parseEnvironment(exitsEnvironment, env));
}
