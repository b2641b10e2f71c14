/**
 * A Lambda context for handlers run in this process. Handlers that budget their time (the import worker
 * splits long files into chunks) read `getRemainingTimeInMillis()`, so it counts down as in the cloud.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';

/** A context for one invocation of `functionName` with the function's timeout. */
export function lambdaContext(
  functionName: string,
  timeoutMs: number,
  now: () => number = Date.now,
): Context {
  const deadline = now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
