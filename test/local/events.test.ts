import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { httpApiEvent } from '../../local/http-event.ts';
import { decodeS3EventKey, encodeS3EventKey, objectCreatedEvent } from '../../local/s3-event.ts';
import { nextScheduledTime, scheduledEvaluation } from '../../local/scheduler.ts';
import { sqsEvent } from '../../local/sqs-event.ts';
import { shapeOf } from './shape.ts';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../fixtures/events/${name}`, import.meta.url), 'utf8'));
}

describe('local events have the shape of the cloud events', () => {
  it('builds an HTTP API payload 2.0 event with a JWT authorizer like the golden fixture', () => {
    // Prepare: the same request the fixture records, as node:http hands it over
    const golden = fixture('http-api-v2.json');
    // Act
    const local = httpApiEvent({
      method: 'GET',
      rawPath: '/subjects/914403001922038216',
      rawQueryString: 'history=true',
      headers: {
        accept: ['application/json'],
        authorization: ['Bearer token'],
        'content-length': ['0'],
        host: ['127.0.0.1:3000'],
        'user-agent': ['curl/8.5.0'],
      },
      body: Buffer.alloc(0),
      sourceIp: '127.0.0.1',
      httpVersion: '1.1',
      routeKey: 'GET /subjects/{uscc}',
      pathParameters: { uscc: '914403001922038216' },
      claims: {
        sub: 'local-district',
        role: 'district',
        district: '130102',
        iss: 'credit-governance-local',
        aud: 'credit-governance',
        iat: 1_732_574_000,
        exp: 1_732_617_200,
      },
      receivedAt: new Date('2024-11-25T22:33:20.123Z'),
    });
    // Assess
    expect(shapeOf(local)).toEqual(shapeOf(golden));
    expect(local.requestContext.time).toBe('25/Nov/2024:22:33:20 +0000');
  });

  it('builds an SQS event carrying an S3 ObjectCreated notification like the golden fixture', () => {
    // Prepare
    const golden = fixture('sqs-s3-object-created.json');
    const notification = objectCreatedEvent({
      key: 'incoming/push/名单 2022.csv',
      size: 1_305_107,
      eTag: 'b21b84d653bb07b05b1e6b33684dc11b',
      bucketName: 'local-dropbox',
      eventTime: new Date('2024-11-25T22:33:20.123Z'),
    });
    // Act
    const local = sqsEvent([
      {
        messageId: '059f36b4-87a3-44ab-83d2-661975830a7d',
        body: JSON.stringify(notification),
        receiveCount: 1,
        sentAt: 1_732_574_000_456,
        firstReceivedAt: 1_732_574_000_467,
      },
    ]);
    // Assess
    const options = { json: ['Records[].body'] };
    expect(shapeOf(local, options)).toEqual(shapeOf(golden, options));
    const goldenKey = JSON.parse((golden as typeof local).Records[0]?.body ?? '').Records[0].s3.object.key;
    expect(notification.Records[0]?.s3.object.key).toBe(goldenKey);
  });

  it('builds the scheduled input EventBridge Scheduler sends for the December run', () => {
    // Prepare
    const golden = fixture('scheduler-monthly.json');
    // Act
    const local = scheduledEvaluation(nextScheduledTime(new Date('2026-11-15T00:00:00Z')));
    // Assess
    expect(shapeOf(local)).toEqual(shapeOf(golden));
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
