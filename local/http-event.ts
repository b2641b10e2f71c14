/**
 * Translation between node:http and API Gateway's HTTP API payload format 2.0, in both directions, so a
 * handler run locally sees the event the cloud sends and its answer reaches the client as API Gateway
 * would shape it.
 */
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';

const ACCOUNT_ID = '000000000000';
const API_ID = 'local';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/**
 * The media types whose bodies API Gateway's HTTP API hands on as text; every other body, a request
 * without a content type, `application/x-www-form-urlencoded` and the `+json`/`+xml` types included, is
 * base64-encoded. AWS does not list them; this is the split measured on live HTTP APIs (payload 2.0).
 */
const TEXT_TYPES: readonly RegExp[] = [/^text\/[^;\s]+$/, /^application\/(json|xml|javascript)$/];

/** What the server knows of a request once it has matched a route and read the body. */
export interface HttpRequestFacts {
  readonly method: string;
  /** The path as API Gateway writes it into `rawPath` and routes it: see {@link apiGatewayPath}. */
  readonly rawPath: string;
  /** The query string as received, without `?`. */
  readonly rawQueryString: string;
  /** Header values by lower-case name, as node's `headersDistinct` gives them. */
  readonly headers: Readonly<Record<string, readonly string[] | undefined>>;
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly httpVersion: string;
  readonly routeKey: string;
  readonly pathParameters: Readonly<Record<string, string>>;
  /** The verified token's payload; absent on public routes, which have no authorizer. */
  readonly claims?: Readonly<Record<string, unknown>>;
  readonly receivedAt: Date;
  readonly requestId?: string;
}

export type HttpApiEvent = APIGatewayProxyEventV2 | APIGatewayProxyEventV2WithJWTAuthorizer;

/** The payload 2.0 event for one request; keys absent in the cloud's event are absent here too. */
export function httpApiEvent(request: HttpRequestFacts): HttpApiEvent {
  const cookies = cookiesOf(request.headers.cookie);
  const query = queryStringParameters(request.rawQueryString);
  const host = (request.headers.host?.[0] ?? '127.0.0.1').replace(/:\d+$/, '');
  const textBody = isTextContentType(request.headers['content-type']?.[0]);
  const hasBody = request.body.length > 0;
  const requestContext = {
    accountId: ACCOUNT_ID,
    apiId: API_ID,
    ...(request.claims === undefined
      ? {}
      : { authorizer: { jwt: { claims: claimsAsStrings(request.claims), scopes: null } } }),
    domainName: host,
    domainPrefix: host.split('.')[0] ?? host,
    http: {
      method: request.method,
      path: request.rawPath,
      protocol: `HTTP/${request.httpVersion}`,
      sourceIp: request.sourceIp,
      userAgent: request.headers['user-agent']?.join(',') ?? '',
    },
    requestId: request.requestId ?? newRequestId(),
    routeKey: request.routeKey,
    stage: '$default',
    time: apiGatewayTime(request.receivedAt),
    timeEpoch: request.receivedAt.getTime(),
  };
  return {
    version: '2.0',
    routeKey: request.routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers: headersOf(request),
    ...(query === undefined ? {} : { queryStringParameters: query }),
    requestContext,
    ...(hasBody ? { body: request.body.toString(textBody ? 'utf8' : 'base64') } : {}),
    ...(Object.keys(request.pathParameters).length > 0
      ? { pathParameters: { ...request.pathParameters } }
      : {}),
    isBase64Encoded: hasBody && !textBody,
  } as HttpApiEvent;
}

/**
 * The request path as API Gateway's HTTP API routes it and hands it on in `rawPath`, `http.path` and the
 * path parameters, or undefined when it cannot be decoded (API Gateway answers 400 then).
 *
 * Measured on live HTTP APIs: the path is percent-decoded, cut at a `?` that decoding produced, and
 * decoded once more. So `%2F` is a separator (`/subjects/a%2Fb` is three segments and matches no route
 * with one parameter), `%252F` is one too, `%3F` ends the path, and `%25` followed by anything but two
 * hex digits, like an incomplete or invalid UTF-8 escape, is refused.
 */
export function apiGatewayPath(received: string): string | undefined {
  const once = decodedOrUndefined(received);
  if (once === undefined) return undefined;
  const queryAt = once.indexOf('?');
  return decodedOrUndefined(queryAt === -1 ? once : once.slice(0, queryAt));
}

function decodedOrUndefined(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch (error) {
    if (error instanceof URIError) return undefined;
    throw error;
  }
}

/** API Gateway's request id: ten random bytes, base64. */
export function newRequestId(): string {
  return randomBytes(10).toString('base64');
}

/** Header values joined with commas, cookies left out (they travel in `cookies`), forwarding headers added. */
function headersOf(request: HttpRequestFacts): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(request.headers)) {
    if (name === 'cookie' || values === undefined) continue;
    headers[name] = values.join(',');
  }
  const port = /:(\d+)$/.exec(request.headers.host?.[0] ?? '')?.[1] ?? '80';
  headers['x-forwarded-for'] = headers['x-forwarded-for'] ?? request.sourceIp;
  headers['x-forwarded-port'] = headers['x-forwarded-port'] ?? port;
  headers['x-forwarded-proto'] = headers['x-forwarded-proto'] ?? 'http';
  headers['x-amzn-trace-id'] = headers['x-amzn-trace-id'] ?? traceId(request.receivedAt);
  return headers;
}

function cookiesOf(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((value) =>
    value
      .split(';')
      .map((cookie) => cookie.trim())
      .filter((cookie) => cookie !== ''),
  );
}

/** Query parameters by name, repeated names joined with commas; undefined when there is no query. */
export function queryStringParameters(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === '') return undefined;
  const grouped: Record<string, string[]> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    grouped[name] = [...(grouped[name] ?? []), value];
  }
  const entries = Object.entries(grouped).map(([name, values]) => [name, values.join(',')] as const);
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

/**
 * The JWT authorizer hands every claim over as a string: numbers and booleans as their text, an array
 * as its items between brackets separated by spaces (`[admin auditor]`, not JSON), an object as JSON;
 * a null claim is left out.
 */
export function claimsAsStrings(claims: Readonly<Record<string, unknown>>): Record<string, string> {
  const strings: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) {
    if (value === null || value === undefined) continue;
    strings[name] = Array.isArray(value) ? `[${value.map(claimText).join(' ')}]` : claimText(value);
  }
  return strings;
}

function claimText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Whether API Gateway hands a body of this content type on as text rather than base64. */
export function isTextContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const essence = contentType.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return TEXT_TYPES.some((pattern) => pattern.test(essence));
}

/** `12/Mar/2020:19:03:58 +0000`, the format of `requestContext.time`. */
export function apiGatewayTime(instant: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  const date = `${pad(instant.getUTCDate())}/${MONTHS[instant.getUTCMonth()]}/${instant.getUTCFullYear()}`;
  const time = `${pad(instant.getUTCHours())}:${pad(instant.getUTCMinutes())}:${pad(instant.getUTCSeconds())}`;
  return `${date}:${time} +0000`;
}

function traceId(instant: Date): string {
  const seconds = Math.floor(instant.getTime() / 1000).toString(16);
  return `Root=1-${seconds}-${randomBytes(12).toString('hex')}`;
}
