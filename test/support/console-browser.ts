/**
 * The console in a real browser, for the browser tests: the whole local runtime in this process (its own
 * DynamoDB Local on a temporary LOCAL_DIR, a free port), the console as `npm run console:build` left it
 * in console/dist, and Debian's headless Chromium driven by playwright-core at the common office screen
 * (1366 × 768). People sign in through the sign-in page as a clerk would; screenshots go to
 * `test-artifacts/console/` for a person to look at.
 *
 * Without Chromium the tests say so and are skipped, except under CI (`CI` set), where they must run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { CONSOLE_DIST } from '../../local/console-site.ts';
import { freePort } from '../../local/dynamodb-local.ts';
import { localPaths } from '../../local/paths.ts';
import { type RunningRuntime, startLocalRuntime } from '../../local/runtime.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const browserAvailable =
  existsSync(CHROMIUM_PATH) && spawnSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8' }).status === 0;
export const browserRequired = process.env.CI !== undefined && process.env.CI !== '';
/** Whether a browser test file runs: Chromium is here, or CI demands it (and then fails without it). */
export const runBrowserTests = browserAvailable || browserRequired;

export const CONSOLE_ARTIFACTS = resolve('test-artifacts', 'console');
export const VIEWPORT = { width: 1366, height: 768 } as const;

if (!runBrowserTests) {
  console.warn(`console browser tests skipped: ${CHROMIUM_PATH} not found (apt-get install chromium)`);
}

export interface ConsoleRuntime {
  readonly runtime: RunningRuntime;
  readonly baseUrl: string;
  readonly localDir: string;
  /** `$LOCAL_DIR/dropbox/incoming/<source>/<name>`: dropped as a person copies a file in. */
  drop(source: string, name: string, content: Buffer | string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The runtime as `npm start` runs it, on a fresh folder and a free port. The console is served from a
 * copy of console/dist taken now, so another build of the console during the run cannot pull files away.
 */
export async function startConsoleRuntime(label = 'console'): Promise<ConsoleRuntime> {
  if (!existsSync(join(CONSOLE_DIST, 'index.html'))) {
    throw new Error(
      `${join(CONSOLE_DIST, 'index.html')} is missing: build the console first (npm run console:build; npm test does)`,
    );
  }
  const localDir = await mkdtemp(join(tmpdir(), `cg-${label}-`));
  const consoleDir = join(localDir, 'console-dist');
  await cp(CONSOLE_DIST, consoleDir, { recursive: true });
  const lines: string[] = [];
  const runtime = await startLocalRuntime({
    paths: localPaths(localDir),
    port: await freePort(),
    log: (line) => {
      lines.push(line);
      if (process.env.CONSOLE_TEST_LOG !== undefined) console.log(`[runtime] ${line}`);
    },
    dynamo: { heap: '512m', maxRestarts: 0 },
    onFatal: (error) => console.error(`local runtime stopped: ${error.message}\n${lines.join('\n')}`),
    consoleDir,
  });
  return {
    runtime,
    baseUrl: runtime.baseUrl,
    localDir,
    async drop(source, name, content) {
      // written beside, then renamed in: the watcher never sees half a file
      const folder = join(runtime.paths.incoming, source);
      const partial = join(localDir, `.${name}.partial`);
      await writeFile(partial, content);
      const target = join(folder, name);
      await cp(partial, target);
      await rm(partial, { force: true });
      return target;
    },
    async stop() {
      await runtime.stop();
      await rm(localDir, { recursive: true, force: true });
    },
  };
}

/** Headless Chromium as Debian ships it; fails clearly when it is required and absent. */
export async function launchBrowser(): Promise<Browser> {
  if (!browserAvailable) throw new Error(`${CHROMIUM_PATH} is required under CI (apt-get install chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}

/** A fresh page (its own context: no token carries over) at the office screen, in Chinese, Shanghai time. */
export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({
    viewport: VIEWPORT,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  // what the page logs as an error is what a person would never see: print it beside the test's output
  page.on('pageerror', (error) => console.error(`[page error] ${error.message}`));
  return page;
}

export type ConsoleRole = 'city' | 'district' | 'department' | 'consumer';

export interface SignInAs {
  /** A district code (130102); shown on the page as 长安区（130102）. */
  readonly district?: string;
  readonly department?: string;
}

/** The sign-in page's names of the roles (console/src/session.ts ROLE_NAMES). */
const ROLE_LABELS: Readonly<Record<ConsoleRole, string>> = {
  city: '市信用办',
  district: '县（市、区）信用办',
  department: '行业主管部门',
  consumer: '核查系统',
};

/**
 * Signs in through the sign-in page as a person does: opens the console, picks the role, the district
 * (typed into the picker, then chosen) and the department's name, presses 登录 and waits to leave the page.
 */
export async function signIn(
  page: Page,
  baseUrl: string,
  role: ConsoleRole,
  as: SignInAs = {},
): Promise<void> {
  await page.goto(`${baseUrl}/#/sign-in`);
  await page.getByText('本机模式').waitFor();
  await page.getByRole('radio', { name: ROLE_LABELS[role], exact: true }).check({ force: true });
  if (as.district !== undefined) {
    const picker = page.locator('#sign-in-district');
    await picker.click();
    await picker.fill(as.district);
    await page.getByRole('option', { name: new RegExp(`（${as.district}）`) }).click();
  }
  if (as.department !== undefined) await page.locator('#sign-in-department').fill(as.department);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((url) => !url.hash.startsWith('#/sign-in'));
}

/** A full-page screenshot under test-artifacts/console/<name>.png; answers its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(CONSOLE_ARTIFACTS, { recursive: true });
  const path = join(CONSOLE_ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
