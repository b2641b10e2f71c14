/**
 * The names the local runtime gives the cloud's resources. The handlers get no environment locally: the
 * composition root (`handlers.ts`) hands them the stand-ins (DynamoDB Local, the drop and queue folders).
 */
import type { LocalPaths } from './paths.ts';

export const LOCAL_TABLE_NAME = 'credit-governance';
export const LOCAL_BUCKET_NAME = 'local-dropbox';

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
