/**
 * API Gateway HTTP API (payload 2.0) events for handler tests, shaped like the golden fixture
 * `test/fixtures/events/http-api-v2.json`.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';

export interface HttpEventInput {
  readonly routeKey: string;
  readonly path: string;
  readonly pathParameters?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly claims?: Record<string, string>;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export function httpEvent(input: HttpEventInput): APIGatewayProxyEventV2WithJWTAuthorizer {
  const [method = 'GET'] = input.routeKey.split(' ');
  const rawQueryString = new URLSearchParams(input.query ?? {}).toString();
  const now = Date.now();
  const event = {
    version: '2.0',
    routeKey: input.routeKey,
    rawPath: input.path,
    rawQueryString,
    headers: {
      accept: 'application/json',
      host: 'api.example.test',
      'user-agent': 'vitest',
      ...(input.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...input.headers,
    },
    ...(input.query === undefined ? {} : { queryStringParameters: input.query }),
    ...(input.pathParameters === undefined ? {} : { pathParameters: input.pathParameters }),
    requestContext: {
      accountId: '123456789012',
      apiId: 'api-id',
      domainName: 'api.example.test',
      domainPrefix: 'api',
      http: { method, path: input.path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: `req-${now}`,
      routeKey: input.routeKey,
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
      authorizer: {
        jwt: { claims: input.claims ?? {}, scopes: null },
        principalId: '',
        integrationLatency: 0,
      },
    },
    ...(input.body === undefined
      ? {}
      : { body: typeof input.body === 'string' ? input.body : JSON.stringify(input.body) }),
    isBase64Encoded: false,
  };
  return event as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
}

export const testContext = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:test',
  memoryLimitInMB: '256',
  awsRequestId: 'test-request',
  logGroupName: '/aws/lambda/test',
  logStreamName: 'test',
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} as unknown as Context;

export const claims = {
  city: { sub: 'city-officer', role: 'city' },
  district: (district: string) => ({ sub: `district-${district}`, role: 'district', district }),
  department: (department: string, district?: string) => ({
    sub: `dept-${department}`,
    role: 'department',
    department,
    ...(district === undefined ? {} : { district }),
  }),
  consumer: { sub: 'consumer-system', role: 'consumer' },
};
