/**
 * The HTTP edge shared by the API functions: route specs described by zod schemas (which also produce
 * /openapi.json) and a dispatcher by route key. Errors become problem+json in `problem.ts`.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2 } from 'aws-lambda';
import type * as z from 'zod';
// The one locale by its own path: `z.locales` would bundle all of zod's locales (about 250 KB).
import zodLocaleZhCN from 'zod/v4/locales/zh-CN.js';
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

export interface RouteInput<TDeps, P, Q, B, H = unknown> {
  readonly params: P;
  readonly query: Q;
  readonly headers: H;
  readonly body: B;
  /** Undefined on public routes only. */
  readonly scope: Scope;
  readonly event: HttpEvent;
  readonly deps: TDeps;
}

export interface ApiRoute<TDeps, P = unknown, Q = unknown, B = unknown, H = unknown> {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly summary: string;
  readonly tags?: readonly string[];
  /** Roles allowed to call; 'public' skips the token. */
  readonly roles: readonly Role[] | 'public';
  readonly params?: z.ZodType<P>;
  readonly query?: z.ZodType<Q>;
  /** Request headers the route reads, by lower-case name (the header normaliser's spelling). */
  readonly headers?: z.ZodType<H>;
  readonly body?: z.ZodType<B>;
  readonly response: z.ZodType;
  readonly responseContentTypes?: readonly string[];
  readonly successStatus?: number;
  readonly errors?: readonly number[];
  handle(input: RouteInput<TDeps, P, Q, B, H>): Promise<unknown>;
}

/** Keeps the generic parameters of a route while collecting routes of several shapes in one list. */
export function defineRoute<TDeps, P, Q, B, H = unknown>(
  route: ApiRoute<TDeps, P, Q, B, H>,
): ApiRoute<TDeps> {
  return route as unknown as ApiRoute<TDeps>;
}

/** Where a value was read, as the validation detail names it. */
const PART_LABELS = { path: '路径参数', query: '查询参数', headers: '请求头', body: '请求体' } as const;
type RequestPart = keyof typeof PART_LABELS;

/** zod's own messages in Chinese; a schema's own messages (refinements) take precedence over it. */
const zhCN = zodLocaleZhCN();

function parseWith<T>(schema: z.ZodType<T> | undefined, value: unknown, part: RequestPart): T {
  if (schema === undefined) return undefined as T;
  const result = schema.safeParse(value, { error: zhCN.localeError });
  if (!result.success) {
    const problems = result.error.issues.map((issue) => ({
      path: [part, ...issue.path].join('.'),
      field: issue.path.join('.'),
      message: issue.message,
    }));
    throw new ValidationError(
      problems
        .map(({ field, message }) => `${PART_LABELS[part]}${field === '' ? '' : ` ${field}`}：${message}`)
        .join('；'),
      problems.map(({ path, message }) => ({ path, message })),
    );
  }
  return result.data;
}

/** The body after middy's JSON body parser: parsed for JSON requests, the raw string otherwise. */
function parsedBody(event: HttpEvent): unknown {
  const body: unknown = event.body;
  if (body === undefined || body === null || body === '') return undefined;
  if (typeof body === 'string') {
    throw new AppError(415, 'unsupported-media-type', '请求体须为 application/json');
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
      throw new NotImplementedError(`接口 ${event.routeKey}`);
    throw new NotFoundError(`接口 ${event.routeKey}`);
  }
  let scope: Scope | undefined;
  if (route.roles !== 'public') {
    scope = scopeFromClaims(event.requestContext?.authorizer?.jwt?.claims);
    requireRole(scope, route.roles);
  }
  const params = parseWith(route.params, event.pathParameters ?? {}, 'path');
  const query = parseWith(route.query, event.queryStringParameters ?? {}, 'query');
  const headers = parseWith(route.headers, event.headers ?? {}, 'headers');
  const body = route.body === undefined ? undefined : parseWith(route.body, parsedBody(event), 'body');
  const value = await route.handle({
    params,
    query,
    headers,
    body,
    scope: scope as Scope,
    event,
    deps: deps(),
  });
  return toResult(route as ApiRoute<unknown>, value);
}
