/**
 * Turns a handler's result into the HTTP response API Gateway would send for payload format 2.0: a
 * structured result (with `statusCode`) is used as it is; anything else is taken to be the JSON body of a
 * 200 answer.
 */
import type { ServerResponse } from 'node:http';
import { problemResponse } from '#shared/http/problem.ts';

export interface HttpAnswer {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly cookies: readonly string[];
  readonly body: Buffer;
}

interface StructuredResult {
  readonly statusCode: number;
  readonly headers?: Record<string, string | number | boolean>;
  readonly cookies?: string[];
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
}

function isStructured(result: unknown): result is StructuredResult {
  return (
    typeof result === 'object' &&
    result !== null &&
    typeof (result as { statusCode?: unknown }).statusCode === 'number'
  );
}

/** The answer for a handler's result. */
export function answerFromResult(result: unknown): HttpAnswer {
  if (!isStructured(result)) {
    const body = result === undefined ? '' : JSON.stringify(result);
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      cookies: [],
      body: Buffer.from(body),
    };
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {}))
    headers[name.toLowerCase()] = String(value);
  const body = result.body ?? '';
  return {
    statusCode: result.statusCode,
    headers,
    cookies: result.cookies ?? [],
    body: Buffer.from(body, result.isBase64Encoded === true ? 'base64' : 'utf8'),
  };
}

/** What API Gateway answers when the function throws or returns something it cannot use. */
export const INTERNAL_ERROR_ANSWER: HttpAnswer = {
  statusCode: 500,
  headers: { 'content-type': 'application/json' },
  cookies: [],
  body: Buffer.from(JSON.stringify({ message: 'Internal Server Error' })),
};

/** A problem+json answer with a stable `code`, built as the functions build theirs. */
export function problemAnswer(
  status: number,
  code: string,
  detail: string,
  headers: Readonly<Record<string, string>> = {},
): HttpAnswer {
  const answer = answerFromResult(problemResponse(status, code, detail));
  return { ...answer, headers: { ...answer.headers, ...headers } };
}

/** API Gateway's 400 for a path it cannot percent-decode, in this API's problem+json shape. */
export function malformedPathAnswer(): HttpAnswer {
  return problemAnswer(400, 'malformed-path', '请求路径中的百分号编码（%XX）无效，无法解码。');
}

/** Writes an answer to the client. */
export function writeAnswer(
  response: ServerResponse,
  answer: HttpAnswer,
  extraHeaders: Record<string, string> = {},
): void {
  const headers: Record<string, string | string[]> = { ...extraHeaders, ...answer.headers };
  if (answer.cookies.length > 0) headers['set-cookie'] = [...answer.cookies];
  headers['content-length'] = String(answer.body.length);
  response.writeHead(answer.statusCode, headers);
  response.end(answer.body);
}
