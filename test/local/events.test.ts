import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, S3Event, SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { matchRoute, routeKey } from '#shared/routes.ts';
import { apiGatewayPath, httpApiEvent, isTextContentType } from '../../local/http-event.ts';
import { decodeS3EventKey, encodeS3EventKey, objectCreatedEvent } from '../../local/s3-event.ts';
import { nextScheduledTime, scheduledEvaluation } from '../../local/scheduler.ts';
import { sqsEvent } from '../../local/sqs-event.ts';
import { shapeOf, valueAt, withoutPaths } from './shape.ts';

function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/events/${name}`, import.meta.url), 'utf8')) as T;
}

type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;

/** What only the environment decides in an HTTP API event (the local server speaks plain HTTP). */
const HTTP_ENVIRONMENT: Record<string, RegExp> = {
  'requestContext.accountId': /^\d{12}$/,
  'requestContext.apiId': /^[a-z0-9]+$/,
  'headers.x-forwarded-port': /^\d+$/,
  'headers.x-forwarded-proto': /^https?$/,
  'headers.x-amzn-trace-id': /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/,
};

/** Headers API Gateway adds itself; the request that reaches it does not carry them. */
const ADDED_HEADERS = ['x-amzn-trace-id', 'x-forwarded-for', 'x-forwarded-port', 'x-forwarded-proto'];

/**
 * The local event for the request a fixture records: the path as the client sent it (still encoded),
 * routed by the local server's rules, and the token's payload as the verifier returns it.
 */
function localEventFor(golden: HttpEvent, sentPath: string, tokenPayload: Record<string, unknown>) {
  const method = golden.requestContext.http.method;
  const path = apiGatewayPath(sentPath);
  if (path === undefined) throw new Error(`${sentPath} does not decode`);
  const match = matchRoute(method, path);
  if (match === undefined) throw new Error(`no route for ${method} ${path}`);
  const headers = Object.fromEntries(
    Object.entries(golden.headers)
      .filter(([name]) => !ADDED_HEADERS.includes(name))
      .map(([name, value]) => [name, [value ?? '']]),
  );
  const body = golden.body === undefined ? '' : golden.body;
  return httpApiEvent({
    method,
    rawPath: path,
    rawQueryString: golden.rawQueryString,
    headers,
    body: Buffer.from(body, golden.isBase64Encoded ? 'base64' : 'utf8'),
    sourceIp: golden.requestContext.http.sourceIp,
    httpVersion: golden.requestContext.http.protocol.replace('HTTP/', ''),
    routeKey: routeKey(match.route),
    pathParameters: match.pathParameters,
    claims: tokenPayload,
    receivedAt: new Date(golden.requestContext.timeEpoch),
    requestId: golden.requestContext.requestId,
  }) as HttpEvent;
}

function expectSameHttpValues(local: HttpEvent, golden: HttpEvent): void {
  const environment = Object.keys(HTTP_ENVIRONMENT);
  expect(withoutPaths(local, environment)).toEqual(withoutPaths(golden, environment));
  for (const [path, format] of Object.entries(HTTP_ENVIRONMENT)) {
    expect(valueAt(local, path), path).toMatch(format);
    expect(valueAt(golden, path), path).toMatch(format);
  }
  // The trace id starts with the request's second, in hex, in both.
  const second = (event: HttpEvent) => event.headers['x-amzn-trace-id']?.split('-')[1];
  expect(second(local)).toBe(second(golden));
}

describe('local HTTP API events carry the values of the cloud events', () => {
  it('GET with a token of an issuer of our own: array claims as [a b], numbers as text', () => {
    // Prepare
    const golden = fixture<HttpEvent>('http-api-v2.json');
    // Act
    const local = localEventFor(golden, '/subjects/914403001922038216', {
      amr: ['pwd', 'mfa'],
      aud: 'credit-governance',
      exp: 1_732_617_200,
      iat: 1_732_574_000,
      iss: 'https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_EXAMPLE',
      role: 'district',
      district: '130102',
      sub: '3c9f2a4e-7b1d-4e8a-9f3c-2d5e6a7b8c9d',
    });
    // Assess
    expect(shapeOf(local)).toEqual(shapeOf(golden));
    expectSameHttpValues(local, golden);
    expect(local.requestContext.authorizer.jwt.claims.amr).toBe('[pwd mfa]');
  });

  it('GET with a percent-encoded path and a Cognito ID token: path decoded, custom: claims as strings', () => {
    // Prepare: a clerk typed the code in full-width digits; the browser encoded them
    const golden = fixture<HttpEvent>('http-api-v2-cognito-encoded-path.json');
    const sent = `/subjects/${encodeURIComponent('９１４４０３００１９２２０３８２１６')}`;
    // Act
    const local = localEventFor(golden, sent, {
      aud: '4l3kq9g1example0clientid',
      auth_time: 1_732_573_900,
      'cognito:groups': ['district-officers', 'reviewers'],
      'cognito:username': 'zhang.wei',
      'custom:district': '130102',
      'custom:role': 'district',
      email_verified: true,
      exp: 1_732_577_600,
      iat: 1_732_574_000,
      iss: 'https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_EXAMPLE',
      sub: '8e2b7c1a-4d6f-4a3b-9c5e-1f2a3b4c5d6e',
      token_use: 'id',
      nickname: null,
    });
    // Assess
    expect(shapeOf(local)).toEqual(shapeOf(golden));
    expectSameHttpValues(local, golden);
    expect(local.rawPath).toBe('/subjects/９１４４０３００１９２２０３８２１６');
  });

  it('POST with a form body: base64, as API Gateway sends every body but JSON, XML, JavaScript and text', () => {
    // Prepare
    const golden = fixture<HttpEvent>('http-api-v2-form-body.json');
    // Act
    const local = localEventFor(golden, '/checks', {
      aud: 'credit-governance',
      exp: 1_732_617_200,
      iat: 1_732_574_000,
      iss: 'https://idp.example.gov.cn',
      role: 'consumer',
      sub: 'subsidy-review-system',
    });
    // Assess
    expect(shapeOf(local)).toEqual(shapeOf(golden));
    expectSameHttpValues(local, golden);
    expect(Buffer.from(local.body ?? '', 'base64').toString()).toBe('codes=914403001922038216');
  });
});

describe('API Gateway HTTP API paths and bodies', () => {
  it.each([
    // Live captures of HTTP APIs (payload 2.0): sent path → rawPath
    ['/capture/plain', '/capture/plain'],
    ['/capture/space%20value', '/capture/space value'],
    ['/capture/question%3Fvalue', '/capture/question'],
    ['/capture/hash%23value', '/capture/hash#value'],
    ['/capture/slash%2Fvalue', '/capture/slash/value'],
    ['/capture/unicode-%CE%BB-%E4%B8%96%E7%95%8C', '/capture/unicode-λ-世界'],
    ['/capture/literal%252Fvalue', '/capture/literal/value'],
    ['/capture/literal%253Fvalue', '/capture/literal?value'],
    ['/capture/literal%2525value', '/capture/literal%value'],
    ['/capture/a+b', '/capture/a+b'],
  ])('hands %s on as %s', (sent, rawPath) => {
    expect(apiGatewayPath(sent)).toBe(rawPath);
  });

  it.each([
    '/capture/percent%25done',
    '/subjects/%E0%A4%A',
    '/subjects/%E0%A4',
    '/subjects/%FF',
    '/subjects/%zz',
    '/subjects/100%',
  ])('refuses %s, which does not decode', (sent) => {
    expect(apiGatewayPath(sent)).toBeUndefined();
  });

  it('routes a %2F inside a parameter as a separator, so it matches no one-parameter route', () => {
    // Act
    const path = apiGatewayPath('/subjects/914403001922038216%2Fhistory') ?? '';
    // Assess
    expect(path).toBe('/subjects/914403001922038216/history');
    expect(matchRoute('GET', path)).toBeUndefined();
    expect(matchRoute('GET', '/subjects/a b')?.pathParameters).toEqual({ uscc: 'a b' });
  });

  it.each([
    ['application/json', true],
    ['application/json; charset=utf-8', true],
    ['Application/JSON', true],
    ['application/xml', true],
    ['application/javascript', true],
    ['text/plain', true],
    ['text/csv; charset=gbk', true],
    ['application/x-www-form-urlencoded', false],
    ['application/problem+json', false],
    ['application/merge-patch+json', false],
    ['application/atom+xml', false],
    ['application/graphql', false],
    ['multipart/form-data; boundary=x', false],
    ['application/octet-stream', false],
    [undefined, false],
  ])('hands a %s body on as text: %s', (contentType, text) => {
    expect(isTextContentType(contentType)).toBe(text);
  });
});

describe('local S3 and SQS events carry the values of the cloud events', () => {
  /** What only the environment decides in the S3 record; the rest must be equal. */
  const S3_ENVIRONMENT: Record<string, RegExp> = {
    awsRegion: /^[a-z]{2}(-[a-z]+)+-\d$/,
    'userIdentity.principalId': /^AWS:[A-Z0-9]+$/,
    'requestParameters.sourceIPAddress': /^[\d.]+$/,
    'responseElements.x-amz-request-id': /^[0-9A-F]{16}$/,
    'responseElements.x-amz-id-2': /^[A-Za-z0-9+/=]+$/,
    's3.bucket.ownerIdentity.principalId': /^[A-Za-z0-9]+$/,
    's3.bucket.arn': /^arn:aws(-cn)?:s3:::credit-governance-dropbox-123456789012$/,
    's3.object.versionId': /^[A-Za-z0-9._]{32}$/,
    's3.object.sequencer': /^[0-9A-F]{18}$/,
  };
  /** And in the SQS record around it (the body is compared as the S3 event it holds). */
  const SQS_ENVIRONMENT: Record<string, RegExp> = {
    receiptHandle: /^[A-Za-z0-9+/=]+$/,
    'attributes.SenderId': /^[A-Z0-9]+$/,
    eventSourceARN: /^arn:aws(-cn)?:sqs:[a-z0-9-]+:\d{12}:[\w-]+$/,
    awsRegion: /^[a-z]{2}(-[a-z]+)+-\d$/,
    md5OfBody: /^[0-9a-f]{32}$/,
    body: /^\{/,
  };

  function expectSameValues(local: unknown, golden: unknown, environment: Record<string, RegExp>): void {
    const paths = Object.keys(environment);
    expect(withoutPaths(local, paths)).toEqual(withoutPaths(golden, paths));
    for (const [path, format] of Object.entries(environment)) {
      expect(String(valueAt(local, path)), path).toMatch(format);
      expect(String(valueAt(golden, path)), path).toMatch(format);
    }
  }

  it('builds an SQS event carrying an S3 ObjectCreated notification of a versioned bucket', () => {
    // Prepare: the object the fixture announces
    const golden = fixture<SQSEvent>('sqs-s3-object-created.json');
    const goldenRecord = golden.Records[0] as SQSEvent['Records'][number];
    const goldenS3 = JSON.parse(goldenRecord.body) as S3Event;
    const object = goldenS3.Records[0]?.s3.object as S3Event['Records'][number]['s3']['object'];
    const notification = objectCreatedEvent({
      key: decodeS3EventKey(object.key),
      size: object.size,
      eTag: object.eTag,
      bucketName: goldenS3.Records[0]?.s3.bucket.name ?? '',
      eventTime: new Date(goldenS3.Records[0]?.eventTime ?? ''),
    });
    // Act
    const local = sqsEvent([
      {
        messageId: goldenRecord.messageId,
        body: JSON.stringify(notification),
        receiveCount: Number(goldenRecord.attributes.ApproximateReceiveCount),
        sentAt: Number(goldenRecord.attributes.SentTimestamp),
        firstReceivedAt: Number(goldenRecord.attributes.ApproximateFirstReceiveTimestamp),
      },
    ]);
    // Assess
    const options = { json: ['Records[].body'] };
    expect(shapeOf(local, options)).toEqual(shapeOf(golden, options));
    const localRecord = local.Records[0] as SQSEvent['Records'][number];
    expectSameValues(localRecord, goldenRecord, SQS_ENVIRONMENT);
    expectSameValues(notification.Records[0], goldenS3.Records[0], S3_ENVIRONMENT);
    for (const record of [localRecord, goldenRecord]) {
      expect(record.md5OfBody).toBe(createHash('md5').update(record.body).digest('hex'));
    }
  });

  it('gives the same object the same versionId, and another object another one', () => {
    // Prepare
    const object = {
      key: 'incoming/push/名单 2022.csv',
      size: 10,
      eTag: 'b21b84d653bb07b05b1e6b33684dc11b',
      bucketName: 'local-dropbox',
      eventTime: new Date('2024-11-25T22:33:20.123Z'),
    };
    const versionOf = (event: S3Event) => event.Records[0]?.s3.object.versionId;
    // Act
    const first = versionOf(objectCreatedEvent(object));
    const again = versionOf(objectCreatedEvent(object));
    const rewritten = versionOf(
      objectCreatedEvent({ ...object, eventTime: new Date('2024-11-25T22:34:00Z') }),
    );
    // Assess
    expect(again).toBe(first);
    expect(rewritten).not.toBe(first);
  });

  it('builds the scheduled input EventBridge Scheduler sends for the December run', () => {
    // Prepare
    const golden = fixture<unknown>('scheduler-monthly.json');
    // Act
    const local = scheduledEvaluation(nextScheduledTime(new Date('2026-11-15T00:00:00Z')));
    // Assess
    expect(local).toEqual(golden);
  });
});

describe('S3 event keys', () => {
  it.each([
    ['incoming/push/名单 2022.csv', 'incoming/push/%E5%90%8D%E5%8D%95+2022.csv'],
    ['incoming/court/1f2e/失信被执行人（第3批） 2024-11.xlsx', undefined],
    ['incoming/tax/a b/c+d&e=f%.csv', undefined],
    ['incoming/market/ spaced  name .csv', undefined],
  ])('encodes %s as S3 does and decodes back to the path', (key, expected) => {
    // Act
    const encoded = encodeS3EventKey(key);
    // Assess
    if (expected !== undefined) expect(encoded).toBe(expected);
    expect(encoded).not.toMatch(/ /);
    expect(decodeURIComponent(encoded.replaceAll('+', ' '))).toBe(key);
    expect(decodeS3EventKey(encoded)).toBe(key);
  });
});
