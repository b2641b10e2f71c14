/**
 * Names of the environment variables the Lambda functions read. The stack sets them from these
 * constants and the config module parses them, so the two cannot drift.
 */
export const ENV = {
  tableName: 'TABLE_NAME',
  bucketName: 'BUCKET_NAME',
  importQueueUrl: 'IMPORT_QUEUE_URL',
  classifyFunctionName: 'CLASSIFY_FUNCTION_NAME',
  evaluateFunctionName: 'EVALUATE_FUNCTION_NAME',
  /** Only set locally and in tests: DynamoDB Local's endpoint. */
  dynamoEndpoint: 'DYNAMODB_ENDPOINT',
  /** Only set locally: the folder that stands in for the drop-folder bucket. */
  localDropDir: 'LOCAL_DROP_DIR',
  /** Only set locally: the base URL that stands in for presigned S3 upload URLs. */
  localBaseUrl: 'LOCAL_BASE_URL',
  /** Only set locally: the folder that stands in for the import queue. */
  localQueueDir: 'LOCAL_QUEUE_DIR',
  importChunkRows: 'IMPORT_CHUNK_ROWS',
  logLevel: 'LOG_LEVEL',
} as const;
