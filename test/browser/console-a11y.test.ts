/**
 * Accessibility of the console (issue 13, Acceptance): axe-core, injected from node_modules, runs on the
 * sign-in page and on each office's main pages with data in them (a seeded city, its evaluation, an exit
 * waiting in the queues), in headless Chromium at 1366 × 768. No `serious` or `critical` violation is
 * allowed; when there are some, each is printed with the page, the rule, what to fix and where.
 */
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConsoleRole,
  type ConsoleRuntime,
  launchBrowser,
  newPage,
  runBrowserTests,
  type SignInAs,
  screenshot,
  signIn,
  startConsoleRuntime,
} from '../support/console-browser.ts';
import {
  COURT,
  callApi,
  SEED_ROWS,
  seedCity,
  settledImport,
  submitExitThroughApi,
  usccOf,
} from '../support/console-seed.ts';

const AXE = resolve('node_modules', 'axe-core', 'axe.min.js');
const BLOCKING = new Set(['serious', 'critical']);

interface Violation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly helpUrl: string;
  readonly nodes: readonly { readonly target: readonly unknown[]; readonly failureSummary?: string }[];
}

let site: ConsoleRuntime;
let browser: Browser;
let month: string;
let importId: string;
let exitId: string;
const USCC = usccOf(SEED_ROWS[0] as (typeof SEED_ROWS)[number]);

beforeAll(async () => {
  if (!runBrowserTests) return;
  site = await startConsoleRuntime('console-a11y');
  browser = await launchBrowser();
  ({ month } = await seedCity(site.baseUrl, site));
  importId = (await settledImport(site.baseUrl, '石家庄市严重失信主体名单-种子.csv')).importId;
  await callApi(site.baseUrl, { role: 'city' }, 'POST', `/evaluations/${month}`);
  // an exit of the court's first listing, waiting for the district office's review
  exitId = await submitExitThroughApi(site.baseUrl, { role: 'department', department: COURT }, USCC);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await site?.stop();
});

/** axe-core's serious and critical findings on the page as it stands. */
async function blockingViolations(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate("'axe' in window"))) await page.addScriptTag({ path: AXE });
  // as a string: the function runs in the page, where axe and document are, not in this process
  const violations = await page.evaluate(
    "axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)",
  );
  return (violations as Violation[]).filter((violation) => BLOCKING.has(violation.impact ?? ''));
}

/** One violation as a person fixing it wants to read it. */
function describeViolation(where: string, violation: Violation): string {
  const nodes = violation.nodes
    .slice(0, 5)
    .map(
      (node) =>
        `    at ${node.target.join(' ')}\n      ${(node.failureSummary ?? '').replaceAll('\n', '\n      ')}`,
    )
    .join('\n');
  const more = violation.nodes.length > 5 ? `\n    … and ${violation.nodes.length - 5} more` : '';
  return `${where}: [${violation.impact}] ${violation.id}: ${violation.help} (${violation.helpUrl})\n${nodes}${more}`;
}

interface Stop {
  /** The address inside the console, after `#`. */
  readonly path: string;
  /** What shows once the page has its data. */
  readonly ready: string;
  readonly name: string;
}

/** Walks an office's pages in one session (the token lives in the page's memory) and checks each. */
async function checkOffice(role: ConsoleRole, as: SignInAs, stops: readonly Stop[]): Promise<string[]> {
  const page = await newPage(browser);
  const found: string[] = [];
  try {
    await signIn(page, site.baseUrl, role, as);
    for (const stop of stops) {
      await page.evaluate(`window.location.hash = ${JSON.stringify(stop.path)}`);
      await page.locator(stop.ready).first().waitFor();
      // the tables and charts settle once their requests have answered
      await page.waitForFunction(
        'document.querySelector(\'.el-loading-mask:not([style*="none"])\') === null',
      );
      await page.waitForTimeout(300);
      await screenshot(page, `a11y-${role}-${stop.name}`);
      for (const violation of await blockingViolations(page)) {
        found.push(describeViolation(`${role} ${stop.path}`, violation));
      }
    }
  } finally {
    await page.context().close();
  }
  if (found.length > 0) console.error(found.join('\n\n'));
  return found;
}

describe.skipIf(!runBrowserTests)('the console with axe-core: no serious or critical violations', () => {
  it('on the sign-in page, as each role is picked', async () => {
    // Prepare
    const page = await newPage(browser);
    const found: string[] = [];
    try {
      await page.goto(`${site.baseUrl}/#/sign-in`);
      await page.getByText('本机模式').waitFor();
      // Act: the page as it opens, then with the district picker and the department's field shown
      for (const role of ['市信用办', '行业主管部门'] as const) {
        await page.getByRole('radio', { name: role, exact: true }).check({ force: true });
        await screenshot(page, `a11y-sign-in-${role}`);
        for (const violation of await blockingViolations(page)) {
          found.push(describeViolation(`sign-in (${role})`, violation));
        }
      }
    } finally {
      await page.context().close();
    }
    // Assess
    if (found.length > 0) console.error(found.join('\n\n'));
    expect(found).toEqual([]);
  });

  it("on the city's pages", async () => {
    // Act
    const found = await checkOffice('city', {}, [
      { path: `/evaluation?month=${month}`, ready: '[data-test=district-chart] svg', name: 'evaluation' },
      { path: '/imports', ready: '[data-test=imports-table]', name: 'imports' },
      { path: `/imports/${importId}`, ready: '[data-test=receipt]', name: 'receipt' },
      { path: '/listings', ready: '[data-test=listings-table]', name: 'listings' },
      { path: `/subjects/${USCC}`, ready: '[data-test=classification]', name: 'subject' },
      { path: '/exits', ready: '[data-test=exits-table]', name: 'exits' },
      { path: '/exit-reports', ready: '[data-test=exit-reports-table]', name: 'exit-reports' },
      { path: '/campaign', ready: 'form', name: 'campaign' },
      { path: '/checks', ready: '[data-test=check-code]', name: 'checks' },
    ]);
    // Assess
    expect(found).toEqual([]);
  });

  it("on a district office's pages", async () => {
    // Act
    const found = await checkOffice('district', { district: '130102' }, [
      { path: `/evaluation?month=${month}`, ready: '[data-test=evaluation-page]', name: 'evaluation' },
      { path: '/listings', ready: '[data-test=listings-table]', name: 'listings' },
      { path: '/exits', ready: `[data-test="exit-row-${exitId}"]`, name: 'exits' },
      { path: `/exits/${exitId}`, ready: '[data-test=exit-rounds]', name: 'exit' },
    ]);
    // Assess
    expect(found).toEqual([]);
  });

  it("on a department's pages", async () => {
    // Act
    const found = await checkOffice('department', { department: COURT }, [
      { path: '/listings', ready: '[data-test=listings-table]', name: 'listings' },
      { path: `/subjects/${USCC}`, ready: '[data-test=classification]', name: 'subject' },
      { path: '/exits', ready: `[data-test="exit-row-${exitId}"]`, name: 'exits' },
      { path: '/imports', ready: '[data-test=upload-panel]', name: 'imports' },
    ]);
    // Assess
    expect(found).toEqual([]);
  });

  it("on the checking system's page", async () => {
    // Act
    const found = await checkOffice('consumer', {}, [
      { path: '/checks', ready: '[data-test=check-code]', name: 'checks' },
    ]);
    // Assess
    expect(found).toEqual([]);
  });
});
