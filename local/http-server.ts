/**
 * The local stand-in for API Gateway's HTTP API: matches each request against the shared route table,
 * checks the bearer token as the JWT authorizer would, and calls the route's handler with a payload 2.0
 * event. Also receives uploads to the drop folder in place of S3's presigned URLs.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'aws-lambda';
import { type ApiFunction, matchRoute, ROUTES, type RouteDefinition, routeKey } from '#shared/routes.ts';
import { bearerToken, InvalidTokenError, verifyToken } from './auth.ts';
import { consoleAnswer, isConsolePath } from './console-site.ts';
import { DROP_UPLOAD_PREFIX, receiveDropUpload } from './drop-upload.ts';
import type { TokenVerifier } from './external-issuer.ts';
import { apiGatewayPath, type HttpApiEvent, httpApiEvent, newRequestId } from './http-event.ts';
import {
  answerFromResult,
  type HttpAnswer,
  INTERNAL_ERROR_ANSWER,
  malformedPathAnswer,
  problemAnswer,
  writeAnswer,
} from './http-result.ts';
import { lambdaContext } from './lambda-context.ts';

/** API Gateway's payload limit. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** API Gateway's integration timeout. */
const API_TIMEOUT_MS = 30_000;

/** A handler behind the HTTP API: the `api` or `exits` function. */
export type HttpHandler = (event: HttpApiEvent, context: Context) => Promise<unknown>;

export interface HttpServerOptions {
  readonly port: number;
  readonly host?: string;
  readonly handlers: Readonly<Record<ApiFunction, HttpHandler>>;
  /** The secret tokens are signed with (`$LOCAL_DIR/jwt-secret`). */
  readonly jwtSecret: Uint8Array;
  /** How bearer tokens are checked instead (an external issuer: `externalTokenVerifier`). */
  readonly verifyToken?: TokenVerifier;
  /** `$LOCAL_DIR/dropbox`, where uploads land. */
  readonly dropDir: string;
  /** The key upload URLs are signed with (`deriveUploadKey` of the token secret); without it every upload is refused. */
  readonly uploadKey?: Uint8Array;
  readonly maxBodyBytes?: number;
  readonly maxUploadBytes?: number;
  readonly log?: (line: string) => void;
  /** The console's built files (console/dist by default). */
  readonly consoleDir?: string;
}

export interface LocalHttpServer {
  readonly server: Server;
  readonly url: string;
  readonly port: number;
  /** Stops accepting, lets requests in progress finish for a moment, then closes what is left. */
  close(): Promise<void>;
}

/** Starts the server and resolves once it listens. */
export async function startHttpServer(options: HttpServerOptions): Promise<LocalHttpServer> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => undefined);
  const server = createServer((request, response) => {
    const requestId = newRequestId();
    respond(request, requestId, options)
      .catch((error: unknown) => {
        log(`http: ${request.method} ${request.url} failed: ${(error as Error).stack ?? String(error)}`);
        return INTERNAL_ERROR_ANSWER;
      })
      .then((answer) => {
        if (!response.headersSent) writeAnswer(response, answer, { 'apigw-requestid': requestId });
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return { server, url: `http://${host}:${port}`, port, close: () => closeServer(server) };
}

/** One request: an upload to the drop folder, or a route of the API behind its authorizer. */
async function respond(
  request: IncomingMessage,
  requestId: string,
  options: HttpServerOptions,
): Promise<HttpAnswer> {
  const receivedAt = new Date();
  const { method, rawPath, rawQueryString } = requestTarget(request);
  if (rawPath.startsWith(DROP_UPLOAD_PREFIX))
    return respondToUpload(request, method, rawPath, rawQueryString, options);
  if (isConsolePath(method, rawPath)) {
    return consoleAnswer(request, method, rawPath, {
      listenHost: options.host ?? '127.0.0.1',
      // with an external issuer the API takes only its tokens: the local sign-in would be useless
      ...(options.verifyToken === undefined ? { jwtSecret: options.jwtSecret } : {}),
      ...(options.consoleDir === undefined ? {} : { distDir: options.consoleDir }),
    });
  }

  const path = apiGatewayPath(rawPath);
  if (path === undefined) return drained(request, malformedPathAnswer());
  const match = matchRoute(method, path);
  if (match === undefined) return drained(request, noRouteAnswer(method, path));
  const verify = options.verifyToken ?? ((token: string) => verifyToken(options.jwtSecret, token));
  const authorization = await authorize(request, match.route, verify);
  if ('refusal' in authorization) return drained(request, authorization.refusal);

  const body = await readBody(request, options.maxBodyBytes ?? MAX_BODY_BYTES);
  if (body === undefined) return problemAnswer(413, 'payload-too-large', 'the request body exceeds 10 MB');

  const event = httpApiEvent({
    method,
    rawPath: path,
    rawQueryString,
    headers: request.headersDistinct,
    body,
    sourceIp: request.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
    httpVersion: request.httpVersion,
    routeKey: routeKey(match.route),
    pathParameters: match.pathParameters,
    ...(authorization.claims === undefined ? {} : { claims: authorization.claims }),
    receivedAt,
    requestId,
  });
  return invokeRoute(event, match.route.function, options);
}

/** The method, and the request target split into its path and query string (both as sent). */
function requestTarget(request: IncomingMessage): {
  method: string;
  rawPath: string;
  rawQueryString: string;
} {
  const target = request.url ?? '/';
  const queryAt = target.indexOf('?');
  return {
    method: request.method ?? 'GET',
    rawPath: queryAt === -1 ? target : target.slice(0, queryAt),
    rawQueryString: queryAt === -1 ? '' : target.slice(queryAt + 1),
  };
}

/** In place of S3's presigned URL: a PUT into the drop folder. */
function respondToUpload(
  request: IncomingMessage,
  method: string,
  rawPath: string,
  rawQueryString: string,
  options: HttpServerOptions,
): Promise<HttpAnswer> | HttpAnswer {
  if (method !== 'PUT')
    return drained(request, problemAnswer(405, 'method-not-allowed', 'uploads use PUT', { allow: 'PUT' }));
  return receiveDropUpload(
    request,
    { pathname: rawPath, query: rawQueryString },
    { dropDir: options.dropDir, uploadKey: options.uploadKey, maxBytes: options.maxUploadBytes },
  );
}

/** The JWT authorizer: the token's claims (none on a public route), or the 401 that refuses the request. */
async function authorize(
  request: IncomingMessage,
  route: RouteDefinition,
  verify: TokenVerifier,
): Promise<{ readonly claims: Record<string, unknown> | undefined } | { readonly refusal: HttpAnswer }> {
  if (route.public === true) return { claims: undefined };
  const token = bearerToken(request.headers.authorization);
  try {
    if (token === undefined) throw new InvalidTokenError('a bearer token is required');
    return { claims: await verify(token) };
  } catch (error) {
    if (!(error instanceof InvalidTokenError)) throw error;
    return { refusal: unauthorizedAnswer(error.message) };
  }
}

/** Calls the route's handler as Lambda would; what it throws becomes API Gateway's 500. */
async function invokeRoute(
  event: HttpApiEvent,
  name: ApiFunction,
  options: HttpServerOptions,
): Promise<HttpAnswer> {
  const handler = options.handlers[name];
  try {
    return answerFromResult(await handler(event, lambdaContext(name, API_TIMEOUT_MS)));
  } catch (error) {
    options.log?.(`http: ${event.routeKey} threw: ${(error as Error).stack ?? String(error)}`);
    return INTERNAL_ERROR_ANSWER;
  }
}

/** 404 when no route has the path, 405 (with Allow) when routes have it under other methods. */
function noRouteAnswer(method: string, rawPath: string): HttpAnswer {
  const methods = [...new Set(ROUTES.map((route) => route.method))].filter(
    (other) => other !== method.toUpperCase() && matchRoute(other, rawPath) !== undefined,
  );
  if (methods.length > 0) {
    return problemAnswer(405, 'method-not-allowed', `${method} is not allowed on ${rawPath}`, {
      allow: methods.join(', '),
    });
  }
  return problemAnswer(404, 'no-route', `no route for ${method} ${rawPath}`);
}

/** The JWT authorizer's refusal: the handler is never called. */
function unauthorizedAnswer(detail: string): HttpAnswer {
  return problemAnswer(401, 'unauthorized', detail, {
    'www-authenticate': `Bearer error="invalid_token", error_description="${detail.replaceAll('"', "'")}"`,
  });
}

/** Discards an unread body so the connection can be reused, and passes the answer on. */
function drained(request: IncomingMessage, answer: HttpAnswer): HttpAnswer {
  request.resume();
  return answer;
}

/** The whole body, or undefined when it is larger than `limit` (the rest is read and discarded). */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  if (Number(request.headers['content-length'] ?? 0) > limit) {
    request.resume();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    request.once('end', () => resolve(size > limit ? undefined : Buffer.concat(chunks)));
    request.once('error', reject);
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), 2_000);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}
