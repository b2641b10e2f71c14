/**
 * The console on the local runtime: its built files (console/dist) at `/`, a `config.json` that tells it
 * it runs locally, and `POST /local/token`, which signs a token for the role the sign-in page picks. The
 * token route exists only while the server listens on loopback, answers only requests addressed to
 * loopback by name (so a page from elsewhere cannot reach it through DNS rebinding), and only JSON posts
 * (which a page of another origin cannot send without a preflight this server never allows).
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { z } from 'zod';
import { isRole, type LocalClaims, localSubject, normaliseDepartment, signToken } from './auth.ts';
import type { HttpAnswer } from './http-result.ts';
import { problemAnswer } from './http-result.ts';

/** Where `npm run console:build` puts the console. */
export const CONSOLE_DIST = resolve(import.meta.dirname, '..', 'console', 'dist');
export const LOCAL_TOKEN_PATH = '/local/token';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

export interface ConsoleSiteOptions {
  readonly distDir?: string;
  /** The address the server listens on: the token route exists only on loopback. */
  readonly listenHost: string;
  /** The local signing secret; absent when tokens come from an external issuer. */
  readonly jwtSecret?: Uint8Array;
}

/** Whether a path belongs to the console rather than the API. */
export function isConsolePath(method: string, rawPath: string): boolean {
  if (rawPath === LOCAL_TOKEN_PATH) return true;
  if (method !== 'GET' && method !== 'HEAD') return false;
  return (
    rawPath === '/' ||
    rawPath === '/index.html' ||
    rawPath === '/config.json' ||
    rawPath.startsWith('/assets/')
  );
}

/** The console's answer for a path `isConsolePath` accepted. */
export async function consoleAnswer(
  request: IncomingMessage,
  method: string,
  rawPath: string,
  options: ConsoleSiteOptions,
): Promise<HttpAnswer> {
  if (rawPath === LOCAL_TOKEN_PATH) return tokenAnswer(request, method, options);
  if (rawPath === '/config.json') return json(200, { mode: 'local', apiBase: '' });
  return fileAnswer(options.distDir ?? CONSOLE_DIST, rawPath === '/' ? '/index.html' : rawPath);
}

async function fileAnswer(distDir: string, rawPath: string): Promise<HttpAnswer> {
  const root = resolve(distDir);
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return problemAnswer(404, 'not-found', '没有这个文件。');
  }
  const file = normalize(join(root, decoded));
  if (!file.startsWith(root + sep)) return problemAnswer(404, 'not-found', '没有这个文件。');
  try {
    const body = await readFile(file);
    const immutable = rawPath.startsWith('/assets/');
    return {
      statusCode: 200,
      headers: {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        // file names under assets/ carry their content hash; index.html must be read afresh
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        'x-content-type-options': 'nosniff',
        ...(rawPath === '/index.html' ? { 'x-frame-options': 'DENY', 'referrer-policy': 'same-origin' } : {}),
      },
      cookies: [],
      body,
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    if (rawPath === '/index.html') {
      return problemAnswer(503, 'console-not-built', '控制台尚未构建：请先运行 npm run console:build。');
    }
    return problemAnswer(404, 'not-found', '没有这个文件。');
  }
}

const TokenRequest = z.object({
  role: z.string().refine(isRole, '角色必须是 city、district、department 或 consumer 之一'),
  district: z
    .string()
    .regex(/^\d{6}$/, '县（市、区）代码应为 6 位数字')
    .optional(),
  department: z.string().optional(),
});

async function tokenAnswer(
  request: IncomingMessage,
  method: string,
  options: ConsoleSiteOptions,
): Promise<HttpAnswer> {
  const host = (request.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  if (
    !LOOPBACK_HOSTS.has(options.listenHost) ||
    !LOOPBACK_HOSTS.has(host) ||
    options.jwtSecret === undefined
  ) {
    request.resume();
    return problemAnswer(404, 'no-route', `no route for ${method} ${LOCAL_TOKEN_PATH}`);
  }
  if (method !== 'POST') {
    request.resume();
    return problemAnswer(405, 'method-not-allowed', '本机登录请使用 POST。', { allow: 'POST' });
  }
  if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
    request.resume();
    return problemAnswer(415, 'unsupported-media-type', '请求体必须是 JSON。');
  }
  const parsed = TokenRequest.safeParse(await readJson(request));
  if (!parsed.success) {
    return problemAnswer(
      400,
      'invalid-token-request',
      `登录信息不完整：${parsed.error.issues[0]?.message ?? '请求体无效'}`,
    );
  }
  const { role, district } = parsed.data;
  const department =
    parsed.data.department === undefined ? undefined : normaliseDepartment(parsed.data.department);
  if (role === 'district' && district === undefined) {
    return problemAnswer(400, 'invalid-token-request', '县（市、区）信用办需选择所属县（市、区）。');
  }
  if (role === 'department' && (department === undefined || department === '')) {
    return problemAnswer(400, 'invalid-token-request', '行业主管部门需填写部门名称。');
  }
  const fields = {
    role,
    ...(district === undefined || role === 'city' || role === 'consumer' ? {} : { district }),
    ...(role === 'department' ? { department } : {}),
  } as Omit<LocalClaims, 'sub'>;
  const token = await signToken(options.jwtSecret, { ...fields, sub: localSubject(fields) });
  return json(200, { token });
}

function readJson(request: IncomingMessage): Promise<unknown> {
  return new Promise((resolvePromise) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= 16_384) chunks.push(chunk);
    });
    request.once('end', () => {
      try {
        resolvePromise(size > 16_384 ? undefined : JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        resolvePromise(undefined);
      }
    });
    request.once('error', () => resolvePromise(undefined));
  });
}

function json(statusCode: number, body: unknown): HttpAnswer {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    cookies: [],
    body: Buffer.from(JSON.stringify(body)),
  };
}
