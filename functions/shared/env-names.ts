/**
 * Names of the environment variables the Lambda functions read. Each function's config module
 * (`functions/<function>/config.ts`) declares which of them it reads; the stack sets them from these
 * constants, so the two cannot drift. Nothing local belongs here: the local runtime hands its stand-ins
 * to the handler factories instead of describing them in variables.
 */
export const ENV = {
  tableName: 'TABLE_NAME',
  bucketName: 'BUCKET_NAME',
  importQueueUrl: 'IMPORT_QUEUE_URL',
  evaluateFunctionName: 'EVALUATE_FUNCTION_NAME',
  importChunkRows: 'IMPORT_CHUNK_ROWS',
  /** Write shards of each district's counters (readers sum them); raise it, never lower it. */
  counterShards: 'COUNTER_SHARDS',
} as const;
