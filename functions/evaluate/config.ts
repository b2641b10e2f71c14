/** What the monthly evaluation reads from its environment. */
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

const evaluateEnvironment = z.object({
  ...TABLE_VARIABLES,
  /** The drop folder: the month's reports are written under `reports/`. */
  [ENV.bucketName]: requiredText(),
});

export interface EvaluateConfig extends TableSettings {
  readonly bucketName: string;
}

/** The variables the evaluation reads; the stack test compares them with what the stack sets. */
export const EVALUATE_ENVIRONMENT = environmentNames(evaluateEnvironment);

/** Parses the evaluation's configuration; throws InvalidConfigurationError naming the variable. */
export function readEvaluateConfig(env: Readonly<Record<string, string | undefined>>): EvaluateConfig {
  const values = parseEnvironment(evaluateEnvironment, env);
  return {
    ...tableSettings(values),
    bucketName: values[ENV.bucketName],
  };
}
