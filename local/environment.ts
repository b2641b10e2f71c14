/**
 * The environment the handlers read, set to the local stand-ins: the same names the stack sets in the
 * cloud (`#shared/env-names.ts`), pointing at DynamoDB Local, the drop folder and the queue folder.
 */
import { ENV } from '#shared/env-names.ts';
import type { LocalPaths } from './paths.ts';

export const LOCAL_TABLE_NAME = 'credit-governance';
export const LOCAL_BUCKET_NAME = 'local-dropbox';

export interface LocalEnvironmentInput {
  readonly paths: LocalPaths;
  readonly port: number;
  readonly dynamoEndpoint: string;
}

/** The variables, by name. */
export function localEnvironment(input: LocalEnvironmentInput): Record<string, string> {
  return {
    [ENV.tableName]: LOCAL_TABLE_NAME,
    [ENV.dynamoEndpoint]: input.dynamoEndpoint,
    [ENV.bucketName]: LOCAL_BUCKET_NAME,
    [ENV.localDropDir]: input.paths.dropbox,
    [ENV.localBaseUrl]: `http://127.0.0.1:${input.port}`,
    [ENV.localQueueDir]: input.paths.queue,
    [ENV.importQueueUrl]: 'local',
    [ENV.classifyFunctionName]: 'classify',
  };
}

/** Sets the variables on this process; must run before the handlers are first imported. */
export function applyLocalEnvironment(input: LocalEnvironmentInput): void {
  Object.assign(process.env, localEnvironment(input));
  process.env.AWS_REGION ??= 'us-east-1';
}

/** What a demo loader (`local/demo.ts`, `loadDemo(runtime)`) gets to work with. */
export interface LocalRuntime {
  readonly paths: LocalPaths;
  readonly port: number;
  readonly baseUrl: string;
  readonly dynamoEndpoint: string;
  readonly tableName: string;
  readonly bucketName: string;
  /** Sends a message body to the import queue. */
  enqueueImport(body: string): Promise<string>;
  log(line: string): void;
}
