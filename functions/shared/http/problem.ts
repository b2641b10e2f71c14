/**
 * problem+json (RFC 9457), built here and nowhere else: the API functions' errors, the exits stub's 501
 * and the local server's own answers all take this shape, with a Chinese `title` and a stable `code`.
 */
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import * as z from 'zod';
import { AppError } from '#shared/errors.ts';

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string().describe('what the status means, in Chinese'),
    status: z.number().int(),
    code: z.string().describe('stable machine-readable error code (English)'),
    detail: z.string().optional().describe('what went wrong, in Chinese; field paths for a 400'),
    errors: z
      .unknown()
      .optional()
      .describe('for validation-failed: the list of { path, message }; for others, details of the code'),
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
      title: STATUS_TITLES[status] ?? '请求失败',
      status,
      code,
      detail,
      ...(errors === undefined ? {} : { errors }),
    }),
  };
}

/** The problem's `title`: what the status means, in Chinese, as a person reads it. */
const STATUS_TITLES: Record<number, string> = {
  400: '请求有误',
  401: '未认证',
  403: '无权访问',
  404: '未找到',
  405: '不支持的请求方法',
  409: '请求冲突',
  413: '请求内容过大',
  415: '不支持的内容类型',
  422: '无法处理的内容',
  500: '服务器内部错误',
  501: '尚未实现',
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
    // middy's own errors (e.g. a malformed JSON body) carry a statusCode and an English message
    return status === 415
      ? problemResponse(415, 'unsupported-media-type', '请求体须为 application/json')
      : problemResponse(status, 'malformed-body', '请求体不是有效的 JSON');
  }
  log({
    level: 'error',
    message: (error as Error)?.message ?? String(error),
    stack: (error as Error)?.stack,
  });
  return problemResponse(500, 'internal', '服务器发生意外错误，请稍后重试');
}

/** Middy middleware: any error becomes problem+json. Register it first so its onError runs last. */
export function problemErrors(options: { log?: (entry: Record<string, unknown>) => void } = {}) {
  const log = options.log ?? ((entry: Record<string, unknown>) => console.error(JSON.stringify(entry)));
  const problemErrorsOnError = (request: { error: unknown; response: unknown }) => {
    request.response = errorToResponse(request.error, log);
  };
  return { onError: problemErrorsOnError };
}
