/**
 * The user directory as the offices run it: a public web client that gets tokens only through the
 * hosted UI's authorization code grant (PKCE, no implicit grant, no secret), callback and logout URLs
 * from configuration and never a placeholder, Chinese invitation and verification messages, one group
 * per role; and a synth that refuses a user pool without sign-in settings unless told it is local only.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/constructs/job-function.ts';
import {
  LOCAL_ONLY_SIGN_IN,
  type SignInSettings,
  SignInSettingsError,
  USER_INVITATION,
  USER_VERIFICATION,
} from '../../lib/constructs/user-directory.ts';
import { buildStack, cdkJsonContext, TEST_SIGN_IN } from './build-stack.ts';

type Resource = { Properties: Record<string, unknown> };

const CHINESE = /[\u4e00-\u9fff]/;

function onlyResource(template: Template, type: string): Resource {
  const resources = Object.values(template.findResources(type)) as Resource[];
  expect(resources).toHaveLength(1);
  return resources[0] as Resource;
}

describe('user directory', () => {
  let template: Template;

  beforeAll(() => {
    template = Template.fromStack(buildStack({ signIn: TEST_SIGN_IN }));
  });

  it('gives the web app the authorization code grant only, as a public client', () => {
    // Act
    const client = onlyResource(template, 'AWS::Cognito::UserPoolClient').Properties;

    // Assess: a public client (no secret) can complete the code grant only with PKCE
    expect(client.AllowedOAuthFlows).toEqual(['code']);
    expect(client.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect(client.GenerateSecret).toBe(false);
    expect([...(client.AllowedOAuthScopes as string[])].sort()).toEqual(['email', 'openid', 'profile']);
    expect(client.SupportedIdentityProviders).toEqual(['COGNITO']);
    // no SRP or password sign-in beside the hosted UI; refresh only
    expect(client.ExplicitAuthFlows).toEqual(['ALLOW_REFRESH_TOKEN_AUTH']);
  });

  it('takes the callback and logout URLs from the settings, never a placeholder', () => {
    // Act
    const client = onlyResource(template, 'AWS::Cognito::UserPoolClient').Properties;

    // Assess
    // and the console's own address after them (console-site.test.ts)
    expect(client.CallbackURLs).toEqual([...TEST_SIGN_IN.callbackUrls, expect.anything()]);
    expect(client.LogoutURLs).toEqual([...TEST_SIGN_IN.logoutUrls, expect.anything()]);
    expect(JSON.stringify(template.toJSON())).not.toMatch(/example\.com|implicit/);
  });

  it('creates the hosted UI domain from the configured prefix', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: TEST_SIGN_IN.domainPrefix,
      UserPoolId: { Ref: Match.anyValue() },
    });
    expect(Object.keys(template.findOutputs('*')).some((id) => id.includes('HostedUiUrl'))).toBe(true);
  });

  it('invites and verifies in Chinese, with the placeholders Cognito fills in', () => {
    // Act
    const pool = onlyResource(template, 'AWS::Cognito::UserPool').Properties;
    const invitation = (pool.AdminCreateUserConfig as Record<string, Record<string, string>>)
      .InviteMessageTemplate;
    const verification = pool.VerificationMessageTemplate as Record<string, string>;

    // Assess
    expect(invitation).toMatchObject({
      EmailSubject: USER_INVITATION.emailSubject,
      EmailMessage: USER_INVITATION.emailBody,
    });
    expect(invitation?.EmailSubject).toMatch(CHINESE);
    expect(invitation?.EmailMessage).toMatch(CHINESE);
    expect(invitation?.EmailMessage).toContain('{username}');
    expect(invitation?.EmailMessage).toContain('{####}');
    expect(verification).toMatchObject({
      DefaultEmailOption: 'CONFIRM_WITH_CODE',
      EmailSubject: USER_VERIFICATION.emailSubject,
      EmailMessage: USER_VERIFICATION.emailBody,
    });
    expect(verification.EmailSubject).toMatch(CHINESE);
    expect(verification.EmailMessage).toMatch(CHINESE);
    expect(verification.EmailMessage).toContain('{####}');
  });

  it('has one group per role, named as the role that custom:role carries', () => {
    // Act
    const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup')) as Resource[];

    // Assess
    expect(groups.map((group) => group.Properties.GroupName).sort()).toEqual([
      'city',
      'consumer',
      'department',
      'district',
    ]);
  });

  it('signs in on localhost only, without a domain, when told it is local only; cdk-nag stays clean', () => {
    // Act
    const stack = buildStack({ signIn: LOCAL_ONLY_SIGN_IN });
    const local = Template.fromStack(stack);
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(stack);

    // Assess
    local.resourceCountIs('AWS::Cognito::UserPoolDomain', 0);
    local.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      CallbackURLs: LOCAL_ONLY_SIGN_IN.callbackUrls,
      AllowedOAuthFlows: ['code'],
    });
    expect(report.violations).toEqual([]);
  });

  describe('refuses settings that would not serve the offices', () => {
    const refused: Record<string, SignInSettings | undefined> = {
      'no settings at all': undefined,
      'a placeholder callback': { ...TEST_SIGN_IN, callbackUrls: ['https://example.com'] },
      'a placeholder logout address': { ...TEST_SIGN_IN, logoutUrls: ['https://app.example.org/'] },
      'plain http beyond localhost': { ...TEST_SIGN_IN, callbackUrls: ['http://credit.example.gov.cn/cb'] },
      'a callback with a fragment': { ...TEST_SIGN_IN, callbackUrls: ['https://credit.example.gov.cn/#cb'] },
      'no callback': { ...TEST_SIGN_IN, callbackUrls: [] },
      'no logout address': { ...TEST_SIGN_IN, logoutUrls: [] },
      'a public address without a domain prefix': {
        callbackUrls: TEST_SIGN_IN.callbackUrls,
        logoutUrls: TEST_SIGN_IN.logoutUrls,
      },
      'a prefix Cognito reserves': { ...TEST_SIGN_IN, domainPrefix: 'sjz-cognito' },
      'a prefix with capitals': { ...TEST_SIGN_IN, domainPrefix: 'SJZ-credit' },
    };
    for (const [name, signIn] of Object.entries(refused)) {
      it(name, () => {
        expect(() => buildStack({ signIn })).toThrow(SignInSettingsError);
      });
    }

    it('but needs none with an issuer of its own', () => {
      const stack = buildStack({
        signIn: undefined,
        jwtIssuer: 'https://idp.example.gov.cn/realms/credit',
        jwtAudience: ['credit-api'],
      });

      Template.fromStack(stack).resourceCountIs('AWS::Cognito::UserPool', 0);
    });
  });
});

describe('bin/app.ts', () => {
  /** Runs the CDK app as `cdk synth` would, bundling skipped; answers its exit status, stderr and template. */
  function synth(context: Record<string, string>) {
    const outdir = mkdtempSync(join(tmpdir(), 'cg-synth-'));
    const result = spawnSync(join(PROJECT_ROOT, 'node_modules/.bin/tsx'), ['bin/app.ts'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        CDK_OUTDIR: outdir,
        CDK_CONTEXT_JSON: JSON.stringify({
          ...cdkJsonContext(),
          'aws:cdk:bundling-stacks': [],
          ...context,
        }),
      },
    });
    const template = () =>
      JSON.parse(readFileSync(join(outdir, 'CreditGovernance.template.json'), 'utf8')) as {
        Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
      };
    return { status: result.status, stderr: result.stderr, template };
  }

  it('refuses to synthesize a user pool without sign-in settings, naming the context to give', () => {
    const result = synth({});

    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('signInCallbackUrls');
    expect(result.stderr).toContain('signInLocalOnly=true');
  }, 120_000);

  it('takes the sign-in settings from context', () => {
    const result = synth({
      signInCallbackUrls: 'https://credit.example.gov.cn/auth/callback, https://credit.example.gov.cn/cb2',
      signInLogoutUrls: 'https://credit.example.gov.cn/',
      signInDomainPrefix: 'sjz-credit',
      consoleAssetPath: 'test/cdk/fixtures/console-dist',
    });

    expect(result.status, result.stderr).toBe(0);
    const resources = Object.values(result.template().Resources);
    const client = resources.find((resource) => resource.Type === 'AWS::Cognito::UserPoolClient');
    const domain = resources.find((resource) => resource.Type === 'AWS::Cognito::UserPoolDomain');
    // and the console's own address after them (console-site.test.ts)
    expect(client?.Properties.CallbackURLs).toEqual([
      'https://credit.example.gov.cn/auth/callback',
      'https://credit.example.gov.cn/cb2',
      expect.anything(),
    ]);
    expect(client?.Properties.LogoutURLs).toEqual(['https://credit.example.gov.cn/', expect.anything()]);
    expect(domain?.Properties.Domain).toBe('sjz-credit');
  }, 120_000);

  it('synthesizes with localhost sign-in when told it is local only', () => {
    const result = synth({ signInLocalOnly: 'true' });

    expect(result.status, result.stderr).toBe(0);
    const client = Object.values(result.template().Resources).find(
      (resource) => resource.Type === 'AWS::Cognito::UserPoolClient',
    );
    expect(client?.Properties.CallbackURLs).toEqual(LOCAL_ONLY_SIGN_IN.callbackUrls);
  }, 120_000);
});
