/**
 * Each office does its main task in the console, end to end, against the local runtime and its DynamoDB
 * Local (issue 13, Acceptance): the city uploads a push and sees its receipt; a department overrides a
 * triage with a reason and submits an exit; the district office reviews it; the city confirms it and
 * downloads the batch for 信用中国; the city opens the evaluation and its chart shows one bar per
 * district. Every step is done through the pages as a clerk would (menus, buttons, dialogs) and leaves a
 * screenshot under test-artifacts/console/. Where an earlier flow did not leave what a later one needs,
 * the later one puts it in place through the API, so each flow's failure is its own.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CONSOLE_ARTIFACTS,
  type ConsoleRuntime,
  launchBrowser,
  newPage,
  runBrowserTests,
  screenshot,
  signIn,
  startConsoleRuntime,
} from '../support/console-browser.ts';
import {
  COURT,
  callApi,
  pushFile,
  SEED_ROWS,
  seedCity,
  subjectName,
  submitExitThroughApi,
  usccOf,
  waitFor,
} from '../support/console-seed.ts';

/** A4's width less the 12 mm margins of the console's print CSS, in CSS pixels (96 per inch). */
const A4_PRINTABLE_PX = Math.floor((186 / 25.4) * 96);

/** expect.poll waits one second by default; the runtime's background work takes longer on a busy machine. */
const POLL = { timeout: 20_000, interval: 250 };

let site: ConsoleRuntime;
let browser: Browser;
let month: string;
const pages: Page[] = [];

/** The subject the department works: the court's first listing in 长安区. */
const EXITING = SEED_ROWS[0] as (typeof SEED_ROWS)[number];
const DEPARTMENT = { role: 'department', department: COURT } as const;
const DISTRICT = { role: 'district', district: '130102' } as const;
/** What the flows hand on: the exit the department submitted. */
let exitId: string | undefined;

beforeAll(async () => {
  if (!runBrowserTests) return;
  site = await startConsoleRuntime('console-flows');
  browser = await launchBrowser();
  ({ month } = await seedCity(site.baseUrl, site));
}, 240_000);

afterAll(async () => {
  for (const page of pages)
    await page
      .context()
      .close()
      .catch(() => undefined);
  await browser?.close();
  await site?.stop();
});

// a failed step leaves the page as it stood, and what the page said, for a person to look at
afterEach(async (context) => {
  if (context.task.result?.state !== 'fail') return;
  const page = pages.at(-1);
  if (page === undefined || page.isClosed()) return;
  const name = context.task.name.replace(/[^\p{L}\p{N}]+/gu, '-');
  await screenshot(page, `failed-${name}`).catch(() => undefined);
  const said = await page
    .locator('.el-message, [role=alert]')
    .allTextContents()
    .catch(() => []);
  if (said.length > 0) console.error(`[${context.task.name}] the page said: ${said.join(' | ')}`);
});

async function open(): Promise<Page> {
  const page = await newPage(browser);
  pages.push(page);
  return page;
}

/** The menu on the left, as a person finds the page. */
async function menu(page: Page, label: string): Promise<void> {
  await page.getByRole('menuitem', { name: label }).click();
}

/**
 * The evaluation page once it shows a month's figures: the page first answers with either the chart or
 * the empty state, and the city evaluates the month from the empty state if nobody has yet.
 */
async function evaluated(page: Page): Promise<void> {
  await page.locator('[data-test=evaluation-page]').waitFor();
  const chart = page.locator('[data-test=district-chart] svg');
  const empty = page.locator('[data-test=run-evaluation]');
  await chart.or(empty).first().waitFor();
  if (await empty.isVisible()) await empty.click();
  await chart.waitFor();
}

/** The exit's current status, read through the API. */
async function exitStatus(id: string): Promise<string> {
  const exit = await callApi<{ status: string }>(site.baseUrl, { role: 'city' }, 'GET', `/exits/${id}`);
  return exit.status;
}

/** An exit of the court's listing submitted through the API, for a flow whose predecessor left none. */
function submittedExit(): Promise<string> {
  return submitExitThroughApi(site.baseUrl, DEPARTMENT, usccOf(EXITING));
}

describe.skipIf(!runBrowserTests)('the offices at work in the console', () => {
  it('the city uploads a push and sees its receipt', async () => {
    // Prepare: the month's push, the seed's subjects and two new ones
    const page = await open();
    const fresh = [
      { serial: 401, district: '裕华区', division: '130108', department: COURT, listType: 'court-debtor' },
      { serial: 402, district: '裕华区', division: '130108', department: COURT, listType: 'court-debtor' },
    ] as const;
    const fileName = '石家庄市严重失信主体名单（本月推送）.csv';
    await signIn(page, site.baseUrl, 'city');
    // Act
    await menu(page, '名单导入');
    await page.locator('[data-test=upload-panel]').waitFor();
    await screenshot(page, 'flow-1-city-imports');
    await page
      .locator('[data-test=upload] input[type=file]')
      .setInputFiles({ name: fileName, mimeType: 'text/csv', buffer: pushFile([...SEED_ROWS, ...fresh]) });
    await page.locator('[data-test=receipt-link]').first().click();
    const receipt = page.locator('[data-test=receipt]');
    await expect
      .poll(() => receipt.getAttribute('data-status'), { timeout: 60_000 })
      .toMatch(/^(succeeded|held|duplicate|rejected)$/);
    await screenshot(page, 'flow-1-city-receipt');
    // Assess
    expect(await receipt.getAttribute('data-status')).toBe('succeeded');
    await expect.poll(() => receipt.textContent(), POLL).toContain(fileName);
    const counts = await page.locator('[data-test=receipt-counts]').textContent();
    expect(counts).toContain(String(SEED_ROWS.length + fresh.length));
    expect(counts).toMatch(/新/);
  });

  it('a department overrides a triage with a reason and submits an exit', async () => {
    // Prepare
    const page = await open();
    const reason = '经核实该企业已履行全部义务，改列退出清单';
    await signIn(page, site.baseUrl, 'department', { department: COURT });
    // Act: from its listings to the subject
    await page.locator('[data-test=listings-table]').waitFor();
    await screenshot(page, 'flow-2-department-listings');
    await page
      .locator('[data-test=subject-link]', { hasText: usccOf(EXITING) })
      .first()
      .click();
    await page.locator('[data-test=classification]').first().waitFor();
    // the override: another list than the rule's, with the reason
    await page.locator('[data-test=override-button]').first().click();
    const dialog = page.locator('[data-test=override-dialog]');
    await dialog.waitFor();
    await dialog.locator('.el-radio:not(.is-checked)').first().click();
    await dialog.locator('#override-reason').fill(reason);
    await screenshot(page, 'flow-2-department-override');
    await dialog.locator('[data-test=override-submit]').click();
    await expect
      .poll(() => page.locator('[data-test=override-reason-text]').first().textContent(), POLL)
      .toBe(reason);
    await screenshot(page, 'flow-2-department-overridden');
    // the exit: the subject page's link opens the submission for this listing
    await page.locator('[data-test=submit-exit]').first().click();
    const form = page.locator('[data-test=submit-exit-dialog]');
    await form.locator('[data-test=exit-listing]').waitFor();
    await form.locator('[data-test=exit-reason]').click();
    await page.getByRole('option', { name: '履行完毕', exact: true }).click();
    await form
      .locator('input[data-test=evidence-ref-0], [data-test=evidence-ref-0] input')
      .fill('（2024）冀01执恢101号结案通知书');
    await screenshot(page, 'flow-2-department-exit-form');
    await form.locator('[data-test=exit-submit]').click();
    await form.waitFor({ state: 'hidden' });
    const row = page.locator('[data-test^=exit-row-]', { hasText: subjectName(EXITING) });
    await row.waitFor();
    await screenshot(page, 'flow-2-department-exit-submitted');
    // Assess
    exitId = (await row.getAttribute('data-test'))?.replace(/^exit-row-/, '');
    expect(exitId).toBeTruthy();
    expect(await exitStatus(exitId ?? '')).toBe('submitted');
    const subject = await callApi<{
      listings: { status: string; classification?: { override?: { reason: string } } }[];
    }>(site.baseUrl, DEPARTMENT, 'GET', `/subjects/${usccOf(EXITING)}`);
    expect(subject.listings[0]?.status).toBe('exit-pending');
    expect(subject.listings[0]?.classification?.override?.reason).toBe(reason);
  });

  it('the district office reviews the exit', async () => {
    // Prepare
    exitId ??= await submittedExit();
    const page = await open();
    await signIn(page, site.baseUrl, 'district', { district: DISTRICT.district });
    // Act
    await menu(page, '信用修复退出');
    const row = page.locator(`[data-test="exit-row-${exitId}"]`);
    await row.waitFor();
    await screenshot(page, 'flow-3-district-queue');
    await row.locator('[data-test=review-approve]').click();
    const dialog = page.locator('[data-test=decision-dialog]');
    await dialog.locator('#decision-comment').fill('材料齐全，同意退出');
    await dialog.locator('[data-test=decision-submit]').click();
    await dialog.waitFor({ state: 'hidden' });
    await screenshot(page, 'flow-3-district-reviewed');
    // Assess
    await expect.poll(() => exitStatus(exitId ?? ''), POLL).toBe('reviewed');
  });

  it('the city confirms the exit and downloads the batch for 信用中国', async () => {
    // Prepare
    exitId ??= await submittedExit();
    if ((await exitStatus(exitId)) === 'submitted') {
      await callApi(site.baseUrl, DISTRICT, 'POST', `/exits/${exitId}/review`, { decision: 'approve' });
    }
    const page = await open();
    await signIn(page, site.baseUrl, 'city');
    // Act: the confirmation
    await menu(page, '信用修复退出');
    const row = page.locator(`[data-test="exit-row-${exitId}"]`);
    await row.waitFor();
    await screenshot(page, 'flow-4-city-queue');
    await row.locator('[data-test=confirm-button]').click();
    const dialog = page.locator('[data-test=decision-dialog]');
    await dialog.locator('[data-test=decision-submit]').click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => exitStatus(exitId ?? ''), POLL).toBe('confirmed');
    // the batch: made on the reports page and downloaded
    await menu(page, '报送信用中国');
    await page.locator('[data-test=new-exit-report]').click();
    await page.locator('.el-message-box').getByRole('button', { name: '生成', exact: true }).click();
    const download = page.locator('[data-test^=download-csv-]').first();
    await download.waitFor();
    await screenshot(page, 'flow-4-city-exit-report');
    const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
    // Assess: the batch holds the confirmed exit
    const content = (await readFile(await file.path())).toString('utf8');
    expect(file.suggestedFilename()).toMatch(/\.csv$/);
    expect(content).toContain(usccOf(EXITING));
  });

  it('the city opens the evaluation and its chart shows one bar per district', async () => {
    // Prepare
    const page = await open();
    await signIn(page, site.baseUrl, 'city');
    // Act: the page opens on the month just ended; the city evaluates it if nobody has yet
    await evaluated(page);
    const chart = page.locator('[data-test=district-chart]');
    await chart.locator('svg').waitFor();
    await screenshot(page, 'flow-5-city-evaluation');
    // Assess: one bar per district of the stored snapshot, drawn as SVG by ECharts
    const snapshot = await waitFor('the evaluation', () =>
      callApi<{ districts: unknown[] }>(site.baseUrl, { role: 'city' }, 'GET', `/evaluations/${month}`),
    );
    expect(snapshot.districts.length).toBe(24);
    expect(await chart.getAttribute('data-bars')).toBe(String(snapshot.districts.length));
    const bars = await chart.evaluate((element) => {
      const colours = new Set(['#c0392b', '#2f6fb5', 'rgb(192,57,43)', 'rgb(47,111,181)']);
      return [...element.querySelectorAll('svg path')].filter((path) =>
        colours.has((path.getAttribute('fill') ?? '').replaceAll(' ', '').toLowerCase()),
      ).length;
    });
    expect(bars).toBe(snapshot.districts.length);
  });

  it('a session the API no longer accepts goes back to sign-in, and signing in again returns to the page', async () => {
    // Prepare: the city signed in; from now on the API refuses its token, as after a revoked session
    const page = await open();
    await signIn(page, site.baseUrl, 'city');
    await page.route('**/subjects?**', (route) =>
      route.fulfill({
        status: 401,
        contentType: 'application/problem+json',
        body: JSON.stringify({ code: 'unauthorized', title: '未登录', detail: '令牌已失效' }),
      }),
    );
    // Act
    await page.goto(`${site.baseUrl}/#/listings?district=130102`);
    // Assess: the sign-in page, keeping where the person was
    await page.waitForURL((url) => url.hash.startsWith('#/sign-in'));
    expect(decodeURIComponent(new URL(page.url()).hash)).toContain('next=/listings?district=130102');
    await page.unroute('**/subjects?**');
    await page.getByRole('radio', { name: '市信用办', exact: true }).check({ force: true });
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL((url) => url.hash.startsWith('#/listings'));
    expect(new URL(page.url()).hash).toContain('district=130102');
  });

  it('the city prints the evaluation on A4: the page alone, nothing wider than the paper', async () => {
    // Prepare
    const page = await open();
    await signIn(page, site.baseUrl, 'city');
    await evaluated(page);
    await page.locator('[data-test=district-chart] svg').waitFor();
    // Act: print media at A4's printable width (210 mm less 2 × 12 mm margins = 186 mm = 703 CSS px)
    await page.setViewportSize({ width: A4_PRINTABLE_PX, height: 1000 });
    await page.emulateMedia({ media: 'print' });
    await expect.poll(() => page.locator('.app-aside').isVisible(), POLL).toBe(false);
    // Assess: no menu, header or buttons; nothing runs off the right edge of the paper
    expect(await page.locator('.app-header').isVisible()).toBe(false);
    expect(await page.locator('[data-test=print]').isVisible()).toBe(false);
    const overflow = await page.locator('html').evaluate((html) => html.scrollWidth);
    expect(overflow).toBeLessThanOrEqual(A4_PRINTABLE_PX);
    const chartWidth = await page
      .locator('[data-test=district-chart] svg')
      .evaluate((svg) => svg.getBoundingClientRect().width);
    expect(chartWidth).toBeLessThanOrEqual(A4_PRINTABLE_PX);
    await screenshot(page, 'flow-5-city-evaluation-print');
    await mkdir(CONSOLE_ARTIFACTS, { recursive: true });
    await page.pdf({
      path: join(CONSOLE_ARTIFACTS, 'flow-5-city-evaluation-a4.pdf'),
      format: 'A4',
      margin: { top: '12mm', bottom: '12mm', left: '12mm', right: '12mm' },
    });
  });
});
