/**
 * Configuration from the environment. Each function declares one zod object keyed by the names of
 * the variables it reads (`env-names.ts`), parses it once when its handler module loads, and fails
 * at once with the variable's name: `invalid configuration: TABLE_NAME is required`. The names a
 * schema reads are exported beside it, so a CDK test can hold the stack to them.
 */
import * as z from 'zod';
import { ENV } from './env-names.ts';

/** A function's variables: one zod schema per variable name. */
export type EnvironmentSchema = z.ZodObject<Record<string, z.ZodType>>;

/** The environment did not hold what a function needs. */
export class InvalidConfigurationError extends Error {
  constructor(problems: readonly string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'InvalidConfigurationError';
  }
}

/** A variable that must be set (blank counts as unset). */
export function requiredText(): z.ZodString {
  return z.string({ error: 'is required' });
}

/** A variable that must hold an http(s) URL. */
export function requiredUrl(): z.ZodURL {
  return z.url({
    protocol: /^https?$/,
    error: (issue) => (issue.input === undefined ? 'is required' : 'must be an http(s) URL'),
  });
}

/** An optional whole number above zero. */
export function optionalPositiveInteger() {
  return z.coerce
    .number({ error: 'must be a whole number above zero' })
    .int({ error: 'must be a whole number above zero' })
    .positive({ error: 'must be a whole number above zero' })
    .optional();
}

/**
 * Parses the variables `schema` names out of `env`. A blank value counts as unset, as a variable the
 * console shows empty is. Throws InvalidConfigurationError naming every variable that is wrong.
 */
export function parseEnvironment<S extends EnvironmentSchema>(
  schema: S,
  env: Readonly<Record<string, string | undefined>>,
): z.output<S> {
  const values = Object.fromEntries(
    Object.keys(schema.shape).map((name) => {
      const value = env[name]?.trim();
      return [name, value === '' ? undefined : value];
    }),
  );
  const parsed = schema.safeParse(values);
  if (parsed.success) return parsed.data;
  throw new InvalidConfigurationError(
    parsed.error.issues.map((issue) => `${String(issue.path[0] ?? 'environment')} ${issue.message}`),
  );
}

/** The variables a function reads, and those of them it cannot start without. */
export interface EnvironmentNames {
  readonly reads: readonly string[];
  readonly requires: readonly string[];
}

/** What `schema` reads and requires, for the stack's test. */
export function environmentNames(schema: EnvironmentSchema): EnvironmentNames {
  const reads = Object.keys(schema.shape).sort();
  const requires = reads.filter((name) => !schema.shape[name]?.safeParse(undefined).success);
  return { reads, requires };
}

/** The variables of a function that reads or moves the table's items and district counters. */
export const TABLE_VARIABLES = {
  [ENV.tableName]: requiredText(),
  /** Write shards of the district counters; DEFAULT_COUNTER_SHARDS when unset. */
  [ENV.counterShards]: optionalPositiveInteger(),
};

/** The table and its counter shards, as {@link TABLE_VARIABLES} give them. */
export interface TableSettings {
  readonly tableName: string;
  readonly counterShards?: number;
}

/** The table settings out of parsed {@link TABLE_VARIABLES}. */
export function tableSettings(values: {
  readonly [ENV.tableName]: string;
  readonly [ENV.counterShards]?: number | undefined;
}): TableSettings {
  const shards = values[ENV.counterShards];
  return { tableName: values[ENV.tableName], ...(shards === undefined ? {} : { counterShards: shards }) };
}
