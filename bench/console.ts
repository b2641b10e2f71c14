/**
 * `npm run bench -- --console` (and in the full run): the console's first screen and its evaluation page.
 *
 * - `console_first_load_kb`: gzipped JavaScript and CSS of the first screen, from console/dist as the
 *   build left it: index.html's entry script, what it preloads and its stylesheets, the modules they
 *   import, plus the sign-in route's chunk and everything the entry preloads with it (its
 *   `__vite__mapDeps`). Budget (issue 13): at most 300 KB.
 * - `console_lcp_ms`: largest contentful paint of the evaluation page in Debian's headless Chromium, median
 *   of {@link LOADS} cold loads at 1366 × 768. The page needs a token, which lives in the page's memory:
 *   each load opens `/#/evaluation?month=…`, is sent to the sign-in page, and a script submits the form
 *   as soon as it shows (a script's submit is not user input, so Chromium keeps observing paints) and
 *   the router goes on to the evaluation. So the figure includes the sign-in page's load and the token's
 *   round trip, as a return from the hosted UI would in the cloud.
 * - `console_report_lcp_ms`: the same for the static HTML report of the same month
 *   (`GET /evaluations/{month}/report?format=html`), saved to a file and opened from it.
 *
 * The runtime runs in this process on a temporary LOCAL_DIR with the month's enterprise counts and its
 * evaluation. Without Chromium (CHROMIUM_PATH or /usr/bin/chromium) the LCP figures are left out.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type Browser, chromium } from 'playwright-core';
import { DISTRICTS } from '#domain/district.ts';
import { CONSOLE_DIST } from '../local/console-site.ts';
import { freePort } from '../local/dynamodb-local.ts';
import { localPaths } from '../local/paths.ts';
import { startLocalRuntime } from '../local/runtime.ts';

export const FIRST_LOAD_BUDGET_KB = 300;
const LOADS = 5;
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface ConsoleFigures {
  readonly console_first_load_kb: number;
  readonly console_first_load_files: number;
  readonly console_lcp_ms?: number;
  readonly console_report_lcp_ms?: number;
}

type Progress = (message: string) => void;

/** Every figure of this module. */
export async function measureConsole(progress: Progress): Promise<Partial<ConsoleFigures>> {
  if (!existsSync(join(CONSOLE_DIST, 'index.html'))) {
    progress('console figures skipped: console/dist is not built (npm run console:build)');
    return {};
  }
  const firstLoad = await measureFirstLoad(CONSOLE_DIST);
  const budget = firstLoad.kb <= FIRST_LOAD_BUDGET_KB ? 'within' : 'OVER';
  progress(
    `console first load: ${firstLoad.kb} KB gzipped in ${firstLoad.files.length} files (${budget} the ${FIRST_LOAD_BUDGET_KB} KB budget)`,
  );
  const figures = { console_first_load_kb: firstLoad.kb, console_first_load_files: firstLoad.files.length };
  if (!existsSync(CHROMIUM_PATH)) {
    progress(`console LCP skipped: ${CHROMIUM_PATH} not found (apt-get install chromium)`);
    return figures;
  }
  return { ...figures, ...(await measurePaints(progress)) };
}

// ---------------------------------------------------------------------------------------------------
// First load, from the build

interface FirstLoad {
  readonly kb: number;
  readonly files: readonly string[];
}

/** The files of the first screen, each gzipped (level 9) and summed. */
export async function measureFirstLoad(distDir: string): Promise<FirstLoad> {
  const indexFile = join(distDir, 'index.html');
  if (!existsSync(indexFile)) throw new Error(`${indexFile} is missing: run npm run console:build first`);
  const html = await readFile(indexFile, 'utf8');
  const named = [
    ...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g),
    ...html.matchAll(/<link[^>]*rel="(?:modulepreload|stylesheet)"[^>]*href="([^"]+)"/g),
    ...html.matchAll(/<link[^>]*href="([^"]+)"[^>]*rel="(?:modulepreload|stylesheet)"/g),
  ].map((match) => assetPath(match[1] ?? ''));
  const entries = named.filter((file) => file.endsWith('.js'));
  const signIn = await signInChunks(distDir, entries);
  const files = await withStaticImports(distDir, [...new Set([...named, ...signIn])]);
  let bytes = 0;
  for (const file of files) bytes += gzipSync(await readFile(join(distDir, file)), { level: 9 }).length;
  return { kb: Math.round((bytes / 1024) * 10) / 10, files };
}

/** `./assets/x.js` → `assets/x.js`. */
function assetPath(href: string): string {
  return href.replace(/^\.?\//, '');
}

/** The sign-in route's chunk and what the entry preloads with it (Vite's `__vite__mapDeps`). */
async function signInChunks(distDir: string, entries: readonly string[]): Promise<string[]> {
  for (const entry of entries) {
    const code = await readFile(join(distDir, entry), 'utf8');
    const call =
      /import\(\s*[`'"]\.\/(SignIn-[\w-]+\.js)[`'"]\s*\)(?:\s*,\s*__vite__mapDeps\(\[([\d,\s]*)\]\))?/.exec(
        code,
      );
    if (call === null) continue;
    const folder = entry.slice(0, entry.lastIndexOf('/') + 1);
    const deps = /m\.f=\[([^\]]*)\]/.exec(code)?.[1];
    const list = deps === undefined ? [] : [...deps.matchAll(/[`'"]([^`'"]+)[`'"]/g)].map((m) => m[1] ?? '');
    const picked = (call[2] ?? '')
      .split(',')
      .filter((index) => index.trim() !== '')
      .map((index) => list[Number(index)])
      .filter((file): file is string => file !== undefined)
      .map((file) => `${folder}${file.replace(/^\.\//, '')}`);
    return [`${folder}${call[1]}`, ...picked];
  }
  // no lazy sign-in route found: count every SignIn chunk there is, rather than none
  const assets = await readdir(join(distDir, 'assets'));
  return assets.filter((file) => file.startsWith('SignIn-')).map((file) => `assets/${file}`);
}

/** The files and the JavaScript modules they import statically, transitively. */
async function withStaticImports(distDir: string, files: readonly string[]): Promise<string[]> {
  const seen = new Set(files);
  const queue = files.filter((file) => file.endsWith('.js'));
  while (queue.length > 0) {
    const file = queue.shift() as string;
    const code = await readFile(join(distDir, file), 'utf8');
    const folder = file.slice(0, file.lastIndexOf('/') + 1);
    for (const match of code.matchAll(/(?:\bfrom|\bimport)\s*[`'"]\.\/([\w.-]+\.js)[`'"]/g)) {
      const imported = `${folder}${match[1]}`;
      if (seen.has(imported)) continue;
      seen.add(imported);
      queue.push(imported);
    }
  }
  return [...seen].sort();
}

// ---------------------------------------------------------------------------------------------------
// Largest contentful paint, in Chromium

/** Records LCP candidates from the start of the document, for reading after the page has settled. */
const OBSERVE_LCP = `
window.__lcp = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    window.__lcp.push({ at: entry.startTime, size: entry.size, element: entry.element ? entry.element.tagName + '.' + entry.element.className : '' });
  }
}).observe({ type: 'largest-contentful-paint', buffered: true });
// the sign-in form submitted by script as soon as it shows: not user input, so LCP keeps being observed
const submitWhenShown = () => {
  const form = document.querySelector('form');
  const button = form && form.querySelector('button[type=submit]');
  if (button && location.hash.startsWith('#/sign-in')) { form.requestSubmit(button); return; }
  if (!location.hash.startsWith('#/sign-in') && document.querySelector('[data-test=evaluation-page]')) return;
  setTimeout(submitWhenShown, 20);
};
document.addEventListener('DOMContentLoaded', submitWhenShown);
`;

async function measurePaints(
  progress: Progress,
): Promise<Pick<ConsoleFigures, 'console_lcp_ms' | 'console_report_lcp_ms'>> {
  const localDir = await mkdtemp(join(tmpdir(), 'bench-console-'));
  const runtime = await startLocalRuntime({
    paths: localPaths(localDir),
    port: await freePort(),
    log: () => undefined,
    dynamo: { heap: '512m', maxRestarts: 0 },
    onFatal: (error) => progress(`console bench: the runtime stopped: ${error.message}`),
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    const month = await seedEvaluation(runtime.baseUrl);
    const consoleUrl = `${runtime.baseUrl}/#/evaluation?month=${month}`;
    const consoleLoads = await repeat(() => consoleLcp(browser, consoleUrl));
    const report = join(localDir, `evaluation-report-${month}.html`);
    await writeFile(report, await reportHtml(runtime.baseUrl, month));
    const reportLoads = await repeat(() => fileLcp(browser, pathToFileURL(report).href));
    progress(
      `console LCP (ms, ${LOADS} loads): ${consoleLoads.join(', ')}; report: ${reportLoads.join(', ')}`,
    );
    return { console_lcp_ms: median(consoleLoads), console_report_lcp_ms: median(reportLoads) };
  } finally {
    await browser.close();
    await runtime.stop();
    await rm(localDir, { recursive: true, force: true });
  }
}

async function repeat(load: () => Promise<number>): Promise<number[]> {
  const values: number[] = [];
  for (let run = 0; run < LOADS; run++) values.push(Math.round(await load()));
  return values;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** One cold load of the evaluation page, signed in on the way: its last LCP candidate. */
async function consoleLcp(browser: Browser, url: string): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  try {
    const page = await context.newPage();
    await page.addInitScript(OBSERVE_LCP);
    await page.goto(url);
    await page.locator('[data-test=district-chart] svg').waitFor({ timeout: 60_000 });
    await page.waitForTimeout(500);
    return lastCandidate(await page.evaluate('window.__lcp'));
  } finally {
    await context.close();
  }
}

/** One cold load of a saved page: its last LCP candidate. */
async function fileLcp(browser: Browser, url: string): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  try {
    const page = await context.newPage();
    await page.addInitScript(OBSERVE_LCP);
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForTimeout(500);
    return lastCandidate(await page.evaluate('window.__lcp'));
  } finally {
    await context.close();
  }
}

function lastCandidate(entries: unknown): number {
  const list = entries as { at: number }[];
  const last = list.at(-1);
  if (last === undefined) throw new Error('no largest-contentful-paint entry was recorded');
  return last.at;
}

// ---------------------------------------------------------------------------------------------------
// The month to show

async function token(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/local/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role: 'city' }),
  });
  return ((await response.json()) as { token: string }).token;
}

async function cityCall(baseUrl: string, method: string, path: string, body?: unknown): Promise<Response> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${await token(baseUrl)}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response;
}

/** The month just ended with its enterprise counts, evaluated; answers the month. */
async function seedEvaluation(baseUrl: string): Promise<string> {
  const [year, month] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' })
    .format(new Date())
    .split('-')
    .map(Number);
  const last = new Date(Date.UTC(year ?? 2026, (month ?? 1) - 2, 1)).toISOString().slice(0, 7);
  const counts = Object.fromEntries(DISTRICTS.map((unit, index) => [unit.code, 12_000 + index * 1_300]));
  await cityCall(baseUrl, 'PUT', `/enterprise-counts/${last}`, { counts, reason: '基准测试' });
  await cityCall(baseUrl, 'POST', `/evaluations/${last}`);
  return last;
}

async function reportHtml(baseUrl: string, month: string): Promise<string> {
  const response = await cityCall(baseUrl, 'GET', `/evaluations/${month}/report?format=html`);
  return response.text();
}
