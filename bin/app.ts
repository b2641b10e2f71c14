/**
 * The CDK app: one stack, checked by cdk-nag's AWS Solutions pack on every synth. Settings come from
 * context (`cdk.json` or `-c name=value`):
 *
 * - `stackName` (default `CreditGovernance`)
 * - `dropFileRetentionDays`: days processed/rejected drop-folder files are kept (default 90)
 * - `logRetentionDays`: retention of every log group, one of CloudWatch's values (default 365)
 * - `jwtIssuer` and `jwtAudience` (comma-separated): accept tokens from this issuer instead of
 *   creating a Cognito user pool
 * - `signInCallbackUrls`, `signInLogoutUrls` (comma-separated) and `signInDomainPrefix`: the offices'
 *   web app and the hosted UI's domain, required for the user pool; or `signInLocalOnly=true` for a
 *   synth or trial that signs in on localhost only
 * - `tracing`: `true` for X-Ray on every function
 * - `corsAllowOrigins` (comma-separated): browser origins allowed to call the API (default none)
 * - `alarmEmail`: an address subscribed to the alarm topic
 * - `consoleDomainName` and `consoleCertificateArn` (in us-east-1): the console on a domain of the
 *   city's own with TLS 1.2 (default: the distribution's *.cloudfront.net address)
 * - `consoleAssetPath`: the console's build (default `console/dist`, `npm run console:build`)
 */
import { App, Validations } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { ConsoleSiteSettings } from '../lib/constructs/console-site.ts';
import { LOCAL_ONLY_SIGN_IN, type SignInSettings } from '../lib/constructs/user-directory.ts';
import { CreditGovernanceStack } from '../lib/credit-governance-stack.ts';

const app = new App();

function text(name: string): string | undefined {
  const value: unknown = app.node.tryGetContext(name);
  if (value === undefined || value === null || String(value).trim() === '') return undefined;
  return String(value).trim();
}

function list(name: string): string[] | undefined {
  const value: unknown = app.node.tryGetContext(name);
  const items = Array.isArray(value) ? value.map(String) : text(name)?.split(',');
  const cleaned = items?.map((item) => item.trim()).filter((item) => item !== '');
  return cleaned?.length ? cleaned : undefined;
}

function positiveInteger(name: string): number | undefined {
  const value = text(name);
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0)
    throw new Error(`context ${name} must be a positive integer, not ${value}`);
  return number;
}

function logRetention(): RetentionDays | undefined {
  const days = positiveInteger('logRetentionDays');
  if (days === undefined) return undefined;
  if (!(Object.values(RetentionDays) as number[]).includes(days)) {
    throw new Error(
      `context logRetentionDays must be a CloudWatch Logs retention (e.g. 180, 365, 731), not ${days}`,
    );
  }
  return days as RetentionDays;
}

/** The hosted sign-in from context; undefined lets the stack refuse a user pool without it. */
function signIn(): SignInSettings | undefined {
  const callbackUrls = list('signInCallbackUrls');
  const domainPrefix = text('signInDomainPrefix');
  const prefix = domainPrefix === undefined ? {} : { domainPrefix };
  if (callbackUrls === undefined)
    return text('signInLocalOnly') === 'true' ? { ...LOCAL_ONLY_SIGN_IN, ...prefix } : undefined;
  return { callbackUrls, logoutUrls: list('signInLogoutUrls') ?? [], ...prefix };
}

/** Where the console's build is and the domain it is served on, from context. */
function consoleSettings(): ConsoleSiteSettings {
  const domainName = text('consoleDomainName');
  const certificateArn = text('consoleCertificateArn');
  if ((domainName === undefined) !== (certificateArn === undefined))
    throw new Error('context consoleDomainName and consoleCertificateArn go together');
  const assetPath = text('consoleAssetPath');
  return {
    ...(assetPath === undefined ? {} : { assetPath }),
    ...(domainName === undefined || certificateArn === undefined
      ? {}
      : { domain: { domainName, certificateArn } }),
  };
}

new CreditGovernanceStack(app, text('stackName') ?? 'CreditGovernance', {
  description: 'credit-governance: lists, triage, exits and the monthly evaluation of the credit campaign',
  dropFileRetentionDays: positiveInteger('dropFileRetentionDays'),
  logRetention: logRetention(),
  jwtIssuer: text('jwtIssuer'),
  jwtAudience: list('jwtAudience'),
  signIn: signIn(),
  tracing: text('tracing') === 'true',
  corsAllowOrigins: list('corsAllowOrigins'),
  alarmEmail: text('alarmEmail'),
  console: consoleSettings(),
});

// cdk-nag 3 is a policy-validation plugin: any unacknowledged finding fails `cdk synth`.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
