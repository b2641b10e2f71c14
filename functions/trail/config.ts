/** The trail function's configuration, parsed once when the module loads. */
import { z } from 'zod';
import { ENV } from '#shared/env-names.ts';

/** The variables this function reads; the stack sets exactly these. */
export const TRAIL_ENV = [ENV.tableName] as const;

const schema = z.object({ [ENV.tableName]: z.string().min(1) });

export function trailConfig(env: NodeJS.ProcessEnv = process.env): { tableName: string } {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const names = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new Error(`invalid configuration: ${names} missing or invalid`);
  }
  return { tableName: parsed.data[ENV.tableName] };
}
