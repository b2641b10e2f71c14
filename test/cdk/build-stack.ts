/**
 * Builds the stack the way `bin/app.ts` does (same feature flags from cdk.json) but without esbuild:
 * `aws:cdk:bundling-stacks: []` makes every NodejsFunction skip bundling, so a test builds in a second.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { PROJECT_ROOT } from '../../lib/constructs/job-function.ts';
import {
  CreditGovernanceStack,
  type CreditGovernanceStackProps,
  JOB_ENTRIES,
  type JobName,
} from '../../lib/credit-governance-stack.ts';

const STUB_ENTRY = 'test/cdk/fixtures/stub-handler.ts';
export const CONSOLE_FIXTURE = 'test/cdk/fixtures/console-dist';

/** The feature flags of cdk.json, so tests and `cdk synth` build the same template. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

/** A handler being written by someone else may not exist yet; a stub stands in for it until it does. */
function entriesWithStubs(): Partial<Record<JobName, string>> {
  const missing = (Object.keys(JOB_ENTRIES) as JobName[]).filter(
    (job) => !existsSync(join(PROJECT_ROOT, JOB_ENTRIES[job])),
  );
  return Object.fromEntries(missing.map((job) => [job, STUB_ENTRY]));
}

/** A fresh app without bundling, for tests that add their own validation plugins. */
export function testApp(): App {
  return new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
}

/** A city's sign-in addresses, for stacks that create the user pool; a test may give its own. */
export const TEST_SIGN_IN = {
  callbackUrls: ['https://credit.example.gov.cn/auth/callback'],
  logoutUrls: ['https://credit.example.gov.cn/'],
  domainPrefix: 'sjz-credit-governance',
} as const;

/** The stack in a fresh app, bundling skipped. */
export function buildStack(
  props: CreditGovernanceStackProps = {},
  app: App = testApp(),
): CreditGovernanceStack {
  return new CreditGovernanceStack(app, 'CreditGovernance', {
    signIn: TEST_SIGN_IN,
    // a stand-in for console/dist, so the stack tests need no console build
    console: { assetPath: CONSOLE_FIXTURE },
    ...props,
    entries: { ...entriesWithStubs(), ...props.entries },
  });
}
