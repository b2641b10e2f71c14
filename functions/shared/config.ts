/**
 * Configuration from the environment, parsed once with zod and failing fast when a variable is
 * missing. The stack sets the same names from `env-names.ts`.
 */
import { z } from 'zod';
import { ENV } from './env-names.ts';

const configSchema = z.object({
  tableName: z.string().min(1),
  bucketName: z.string().min(1).optional(),
  importQueueUrl: z.string().min(1).optional(),
  classifyFunctionName: z.string().min(1).optional(),
  dynamoEndpoint: z.url().optional(),
  localDropDir: z.string().min(1).optional(),
  localQueueDir: z.string().min(1).optional(),
  localBaseUrl: z.url().optional(),
  importChunkRows: z.coerce.number().int().positive().default(50_000),
});

export type Config = z.infer<typeof configSchema>;

let cached: Config | undefined;

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse({
    tableName: env[ENV.tableName],
    bucketName: env[ENV.bucketName],
    importQueueUrl: env[ENV.importQueueUrl],
    classifyFunctionName: env[ENV.classifyFunctionName],
    dynamoEndpoint: env[ENV.dynamoEndpoint],
    localDropDir: env[ENV.localDropDir],
    localQueueDir: env[ENV.localQueueDir],
    localBaseUrl: env[ENV.localBaseUrl],
    importChunkRows: env[ENV.importChunkRows],
  });
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  return parsed.data;
}

/** The configuration of this process, read at first use. */
export function config(): Config {
  cached ??= readConfig();
  return cached;
}
