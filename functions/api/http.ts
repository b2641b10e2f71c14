/**
 * The HTTP edge shared by the API functions: route specs described by zod schemas (which also produce
 * /openapi.json), a dispatcher by route key, and middy middlewares for scope and problem+json errors.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { type Role, requireRole, type Scope, scopeFromClaims } from '#shared/auth.ts';
import { AppError, NotFoundError, NotImplementedError, ValidationError } from '#shared/errors.ts';
import { ROUTES, routeKey } from '#shared/routes.ts';

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;

/** A response other than JSON 200: a status, headers, and a body already encoded. */
export interface RawResponse {
  readonly raw: true;
  readonly statusCode: number;
  readonly headers?: Record<string, string>;
  readonly body: string;
  readonly isBase64Encoded?: boolean;
}

export interface RouteInput<TDeps, P, Q, B> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  /** Undefined on public routes only. */
  readonly scope: Scope;
  readonly event: HttpEvent;
  readonly deps: TDeps;
}

export interface ApiRoute<TDeps, P = unknown, Q = unknown, B = unknown> {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly summary: string;
  readonly tags?: readonly string[];
  /** Roles allowed to call; 'public' skips the token. */
  readonly roles: readonly Role[] | 'public';
  readonly params?: z.ZodType<P>;
  readonly query?: z.ZodType<Q>;
  readonly body?: z.ZodType<B>;
  readonly response: z.ZodType;
  readonly responseContentTypes?: readonly string[];
  readonly successStatus?: number;
  readonly errors?: readonly number[];
  handle(input: RouteInput<TDeps, P, Q, B>): Promise<unknown>;
}

/** Keeps the generic parameters of a route while collecting routes of several shapes in one list. */
export function defineRoute<TDeps, P, Q, B>(route: ApiRoute<TDeps, P, Q, B>): ApiRoute<TDeps> {
  return route as unknown as ApiRoute<TDeps>;
}

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string().describe('stable machine-readable error code'),
    detail: z.string().optional(),
    errors: z.unknown().optional(),
  })
  .meta({ id: 'Problem' });

export function problemResponse(
  status: number,
  code: string,
  detail: string,
  errors?: unknown,
): APIGatewayProxyResultV2 {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/problem+json' },
    body: JSON.stringify({
      type: 'about:blank',
      title: STATUS_TITLES[status] ?? 'Error',
      status,
      code,
      detail,
      ...(errors === undefined ? {} : { errors }),
    }),
  };
}

const STATUS_TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  501: 'Not Implemented',
};

/** Turns any error into problem+json: below 500 it is shown to the caller, anything else is a plain 500. */
export function errorToResponse(
  error: unknown,
  log: (entry: Record<string, unknown>) => void,
): APIGatewayProxyResultV2 {
  if (error instanceof AppError) {
    if (error.status >= 500) log({ level: 'error', message: error.message, code: error.code });
    return problemResponse(error.status, error.code, error.message, error.details);
  }
  const status = (error as { statusCode?: number }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // middy's own errors (e.g. a malformed JSON body) carry a statusCode
    return problemResponse(
      status,
      status === 415 ? 'unsupported-media-type' : 'malformed-body',
      String((error as Error).message),
    );
  }
  log({
    level: 'error',
    message: (error as Error)?.message ?? String(error),
    stack: (error as Error)?.stack,
  });
  return problemResponse(500, 'internal', 'an unexpected error occurred');
}

function parseWith<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (schema === undefined) return undefined as T;
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ValidationError(
      `invalid ${where}`,
      result.error.issues.map((issue) => ({
        path: [where, ...issue.path].join('.'),
        message: issue.message,
      })),
    );
  }
  return result.data;
}

/** The body after middy's JSON body parser: parsed for JSON requests, the raw string otherwise. */
function parsedBody(event: HttpEvent): unknown {
  const body: unknown = event.body;
  if (body === undefined || body === null || body === '') return undefined;
  if (typeof body === 'string') {
    throw new AppError(415, 'unsupported-media-type', 'the body must be application/json');
  }
  return body;
}

function toResult(route: ApiRoute<unknown>, value: unknown): APIGatewayProxyResultV2 {
  if (value !== null && typeof value === 'object' && (value as RawResponse).raw === true) {
    const raw = value as RawResponse;
    return {
      statusCode: raw.statusCode,
      headers: raw.headers,
      body: raw.body,
      isBase64Encoded: raw.isBase64Encoded ?? false,
    };
  }
  return {
    statusCode: route.successStatus ?? 200,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(value),
  };
}

/**
 * Finds the route by the event's route key, checks the caller's role, validates path, query and body
 * with the route's schemas, and calls it.
 */
export async function dispatch<TDeps>(
  routes: readonly ApiRoute<TDeps>[],
  event: HttpEvent,
  deps: () => TDeps,
): Promise<APIGatewayProxyResultV2> {
  const route = routes.find((candidate) => `${candidate.method} ${candidate.path}` === event.routeKey);
  if (route === undefined) {
    // A route of the published table that this function does not serve yet says so honestly.
    if (ROUTES.some((known) => routeKey(known) === event.routeKey))
      throw new NotImplementedError(event.routeKey);
    throw new NotFoundError(`route ${event.routeKey}`);
  }
  let scope: Scope | undefined;
  if (route.roles !== 'public') {
    scope = scopeFromClaims(event.requestContext?.authorizer?.jwt?.claims);
    requireRole(scope, route.roles);
  }
  const params = parseWith(route.params, event.pathParameters ?? {}, 'path');
  const query = parseWith(route.query, event.queryStringParameters ?? {}, 'query');
  const body = route.body === undefined ? undefined : parseWith(route.body, parsedBody(event), 'body');
  const value = await route.handle({ params, query, body, scope: scope as Scope, event, deps: deps() });
  return toResult(route as ApiRoute<unknown>, value);
}

/** Middy middleware: any error becomes problem+json. Register it first so its onError runs last. */
export function problemErrors(options: { log?: (entry: Record<string, unknown>) => void } = {}) {
  const log = options.log ?? ((entry: Record<string, unknown>) => console.error(JSON.stringify(entry)));
  const problemErrorsOnError = (request: { error: unknown; response: unknown }) => {
    request.response = errorToResponse(request.error, log);
  };
  return { onError: problemErrorsOnError };
}
