/**
 * The console as the stack deploys it: a private bucket read by CloudFront through origin access
 * control, HTTPS only, security headers, short caching of the entry files and long of the hashed assets,
 * a config.json naming the API and the hosted UI, the console's origin as the only CORS origin and as a
 * callback URL, and a template without a reference cycle (see console-site.ts on where it is cut).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { type App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConsoleNotBuiltError } from '../../lib/constructs/console-site.ts';
import { LOCAL_ONLY_SIGN_IN } from '../../lib/constructs/user-directory.ts';
import type { CreditGovernanceStack } from '../../lib/credit-governance-stack.ts';
import { buildStack, CONSOLE_FIXTURE, TEST_SIGN_IN, testApp } from './build-stack.ts';

// biome-ignore lint/suspicious/noExplicitAny: a synthesized template is untyped JSON; the assertions are its types.
type Json = any;
type Resource = { Type: string; Properties: Record<string, Json>; DependsOn?: string | string[] };

const DOMAIN = {
  domainName: 'console.credit.test',
  certificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/abc',
};
const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';

function logicalId(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

function resourcesOf(template: Template, type: string): [string, Resource][] {
  return Object.entries(template.findResources(type) as Record<string, Resource>);
}

function only(template: Template, type: string): [string, Resource] {
  const entries = resourcesOf(template, type);
  expect(entries).toHaveLength(1);
  return entries[0] as [string, Resource];
}

/** `https://` + the distribution's domain, as CloudFormation will join it. */
function distributionOrigin(distributionId: string, suffix = ''): Json {
  return {
    'Fn::Join': [
      '',
      ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }, ...(suffix ? [suffix] : [])],
    ],
  };
}

/** Resources a resource refers to (Ref, Fn::GetAtt, DependsOn). */
function referencesOf(resource: Resource, ids: ReadonlySet<string>): Set<string> {
  const found = new Set<string>([resource.DependsOn ?? []].flat());
  const walk = (value: Json): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') {
      if (typeof value.Ref === 'string' && ids.has(value.Ref)) found.add(value.Ref);
      const getAtt = value['Fn::GetAtt'];
      if (Array.isArray(getAtt) && ids.has(getAtt[0])) found.add(getAtt[0]);
      Object.values(value).forEach(walk);
    }
  };
  walk(resource.Properties);
  return found;
}

/** A cycle of references between resources, or undefined: CloudFormation refuses a template with one. */
function findCycle(resources: Record<string, Resource>): string[] | undefined {
  const ids = new Set(Object.keys(resources));
  const edges = new Map([...ids].map((id) => [id, referencesOf(resources[id] as Resource, ids)]));
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'open') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'open');
    path.push(id);
    for (const next of edges.get(id) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of ids) {
    const cycle = visit(id);
    if (cycle) return cycle;
  }
  return undefined;
}

/**
 * The config.json a deployment writes: the staged file, its deploy-time markers replaced by the
 * CloudFormation values they stand for (as JSON text, to be matched by logical id).
 */
function deployedConfig(stack: CreditGovernanceStack, template: Template): Json {
  const { outdir } = stack.node.root as App;
  const entry = resourcesOf(template, 'Custom::CDKBucketDeployment').find(([, resource]) =>
    (resource.Properties.SystemMetadata?.['cache-control'] ?? '').includes('no-cache'),
  );
  expect(entry).toBeDefined();
  const properties = (entry as [string, Resource])[1].Properties;
  const keys: string[] = properties.SourceObjectKeys;
  const index = keys.findIndex((key) =>
    existsSync(join(outdir, `asset.${key.replace(/\.zip$/, '')}`, 'config.json')),
  );
  expect(index).toBeGreaterThanOrEqual(0);
  let text = readFileSync(join(outdir, `asset.${keys[index]?.replace(/\.zip$/, '')}`, 'config.json'), 'utf8');
  for (const [marker, value] of Object.entries(properties.SourceMarkers[index] as Record<string, Json>)) {
    text = text.replaceAll(marker, JSON.stringify(value).replaceAll('"', "'"));
  }
  return JSON.parse(text);
}

describe('ConsoleSite in the stack', () => {
  let stack: CreditGovernanceStack;
  let template: Template;
  let distributionId: string;

  beforeAll(() => {
    stack = buildStack();
    template = Template.fromStack(stack);
    [distributionId] = only(template, 'AWS::CloudFront::Distribution');
  });

  it('keeps the bucket private, SSL-only, encrypted and logged, readable by the distribution alone', () => {
    // Prepare
    const bucketId = logicalId(stack.node.findChild('Console').node.findChild('Bucket'));

    // Act
    const bucket = template.toJSON().Resources[bucketId] as Resource;
    const [, policy] = resourcesOf(template, 'AWS::S3::BucketPolicy').find(
      ([, resource]) => resource.Properties.Bucket.Ref === bucketId,
    ) as [string, Resource];
    const statements: Json[] = policy.Properties.PolicyDocument.Statement;

    // Assess
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(
      bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault,
    ).toEqual({ SSEAlgorithm: 'AES256' });
    expect(bucket.Properties.LoggingConfiguration.LogFilePrefix).toBe('console-site/');
    expect(bucket.Properties).not.toHaveProperty('WebsiteConfiguration');
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    const allows = statements.filter((statement) => statement.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0].Principal).toEqual({ Service: 'cloudfront.amazonaws.com' });
    expect(allows[0].Action).toBe('s3:GetObject');
    expect(JSON.stringify(allows[0].Condition)).toContain(distributionId);
  });

  it('reads the bucket through origin access control, over HTTPS only, index.html at the root, with access logs', () => {
    // Act
    const [oacId, oac] = only(template, 'AWS::CloudFront::OriginAccessControl');
    const config = (template.toJSON().Resources[distributionId] as Resource).Properties.DistributionConfig;

    // Assess
    expect(oac.Properties.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    expect(config.Origins).toHaveLength(1);
    expect(config.Origins[0].OriginAccessControlId).toEqual({ 'Fn::GetAtt': [oacId, 'Id'] });
    expect(config.Origins[0].S3OriginConfig.OriginAccessIdentity).toBe('');
    expect(config.DefaultRootObject).toBe('index.html');
    for (const behavior of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) {
      expect(behavior.ViewerProtocolPolicy).toBe('redirect-to-https');
      expect(behavior.AllowedMethods).toEqual(['GET', 'HEAD']);
    }
    expect(config.Logging.Bucket).toBeDefined();
    // no custom domain: CloudFront's own certificate (acknowledged for cdk-nag with its reason)
    expect(config).not.toHaveProperty('ViewerCertificate');
  });

  it('sends the security headers with every answer, the CSP allowing calls to the hosted UI and the API', () => {
    // Act
    const [policyId, policy] = only(template, 'AWS::CloudFront::ResponseHeadersPolicy');
    const headers = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp = JSON.stringify(headers.ContentSecurityPolicy.ContentSecurityPolicy);
    const config = (template.toJSON().Resources[distributionId] as Resource).Properties.DistributionConfig;
    const hostedUiId = logicalId(
      stack.node.findChild('Users').node.findChild('UserPool').node.findChild('HostedUi'),
    );

    // Assess
    expect(headers.StrictTransportSecurity).toMatchObject({
      AccessControlMaxAgeSec: 63072000,
      Override: true,
    });
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    expect(headers.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(headers.ReferrerPolicy).toEqual({ ReferrerPolicy: 'no-referrer', Override: true });
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("connect-src 'self' https://");
    expect(csp).toContain(`{"Ref":"${hostedUiId}"},".auth.`);
    expect(csp).toContain('https://*.execute-api.');
    expect(csp).toContain("style-src 'self';");
    expect(csp).not.toMatch(/unsafe-eval|unsafe-inline|\*;/);
    for (const behavior of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) {
      expect(behavior.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
    }
  });

  it('revalidates index.html and config.json on every visit and caches the hashed assets for a year', () => {
    // Act
    const config = (template.toJSON().Resources[distributionId] as Resource).Properties.DistributionConfig;
    const [entryCacheId, entryCache] = only(template, 'AWS::CloudFront::CachePolicy');
    const deployments = resourcesOf(template, 'Custom::CDKBucketDeployment').map(
      ([, resource]) => resource.Properties,
    );

    // Assess
    expect(config.DefaultCacheBehavior.CachePolicyId).toEqual({ Ref: entryCacheId });
    expect(entryCache.Properties.CachePolicyConfig).toMatchObject({ DefaultTTL: 0, MinTTL: 0 });
    expect(config.CacheBehaviors).toHaveLength(1);
    expect(config.CacheBehaviors[0]).toMatchObject({
      PathPattern: 'assets/*',
      CachePolicyId: CACHING_OPTIMIZED,
    });
    expect(deployments.map((deployment) => deployment.SystemMetadata['cache-control']).sort()).toEqual([
      'no-cache',
      'public, max-age=31536000, immutable',
    ]);
    const entry: Json = deployments.find(
      (deployment) => deployment.SystemMetadata['cache-control'] === 'no-cache',
    );
    expect(entry.DistributionId).toEqual({ Ref: distributionId });
    expect(entry.DistributionPaths).toEqual(['/', '/index.html', '/config.json']);
  });

  it("writes config.json with the API's URL, the hosted UI's endpoints, the client and the console's address", () => {
    // Prepare
    const apiId = logicalId(stack.node.findChild('HttpApi').node.findChild('HttpApi'));
    const clientId = logicalId(
      stack.node.findChild('Users').node.findChild('UserPool').node.findChild('Client'),
    );

    // Act
    const config = deployedConfig(stack, template);

    // Assess
    expect(config.mode).toBe('cloud');
    expect(config.apiBase).toContain(`'Ref':'${apiId}'`);
    expect(config.apiBase).toContain('.execute-api.');
    expect(config.signIn.clientId).toBe(`{'Ref':'${clientId}'}`);
    expect(config.signIn.authorizeUrl).toMatch(
      /^https:\/\/\{'Ref':'UsersUserPoolHostedUi\w+'\}\.auth\..+\/oauth2\/authorize$/,
    );
    expect(config.signIn.tokenUrl).toMatch(/\/oauth2\/token$/);
    expect(config.signIn.logoutUrl).toMatch(/\/logout$/);
    expect(config.signIn.redirectUri).toBe(`https://{'Fn::GetAtt':['${distributionId}','DomainName']}/`);
    expect(config.signIn.scopes).toEqual(['openid', 'email', 'profile']);
  });

  it("allows the console's origin alone to call the API and to upload to the drop folder", () => {
    // Act
    const [, api] = only(template, 'AWS::ApiGatewayV2::Api');
    const dropBucketId = logicalId(stack.node.findChild('DropFolder').node.findChild('Bucket'));
    const dropBucket = template.toJSON().Resources[dropBucketId] as Resource;

    // Assess
    expect(api.Properties.CorsConfiguration.AllowOrigins).toEqual([distributionOrigin(distributionId)]);
    expect(dropBucket.Properties.CorsConfiguration.CorsRules).toEqual([
      expect.objectContaining({
        AllowedOrigins: [distributionOrigin(distributionId)],
        AllowedMethods: expect.arrayContaining(['PUT']),
      }),
    ]);
  });

  it('makes the console a callback and logout URL of the app client beside the configured ones', () => {
    // Act
    const [, client] = only(template, 'AWS::Cognito::UserPoolClient');

    // Assess
    expect(client.Properties.CallbackURLs).toEqual([
      ...TEST_SIGN_IN.callbackUrls,
      distributionOrigin(distributionId, '/'),
    ]);
    expect(client.Properties.LogoutURLs).toEqual([
      ...TEST_SIGN_IN.logoutUrls,
      distributionOrigin(distributionId, '/'),
    ]);
  });

  it('leaves no cycle of references between resources for CloudFormation to refuse', () => {
    // Act / Assess
    expect(findCycle(template.toJSON().Resources)).toBeUndefined();
  });

  it('finds a cycle when there is one (the check itself)', () => {
    // Prepare
    const resources: Record<string, Resource> = {
      A: { Type: 'T', Properties: { x: { Ref: 'B' } } },
      B: { Type: 'T', Properties: { y: { 'Fn::GetAtt': ['A', 'Arn'] } } },
    };

    // Act / Assess
    expect(findCycle(resources)).toEqual(['A', 'B', 'A']);
  });
});

describe('ConsoleSite with a domain of the city', () => {
  it('serves the domain with its certificate and TLS 1.2, the domain being the CORS origin and callback', () => {
    // Prepare
    const stack = buildStack({ console: { assetPath: CONSOLE_FIXTURE, domain: DOMAIN } });

    // Act
    const template = Template.fromStack(stack);
    const [, distribution] = only(template, 'AWS::CloudFront::Distribution');
    const [, api] = only(template, 'AWS::ApiGatewayV2::Api');
    const [, client] = only(template, 'AWS::Cognito::UserPoolClient');
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(stack);

    // Assess
    expect(distribution.Properties.DistributionConfig.Aliases).toEqual([DOMAIN.domainName]);
    expect(distribution.Properties.DistributionConfig.ViewerCertificate).toEqual({
      AcmCertificateArn: DOMAIN.certificateArn,
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
    expect(api.Properties.CorsConfiguration.AllowOrigins).toEqual([`https://${DOMAIN.domainName}`]);
    expect(client.Properties.CallbackURLs).toContain(`https://${DOMAIN.domainName}/`);
    expect(findCycle(template.toJSON().Resources)).toBeUndefined();
    expect(report.violations.map((violation) => violation.ruleName)).toEqual([]);
  });
});

describe('ConsoleSite left out or missing', () => {
  it('deploys no console when the user pool has no hosted UI domain (localhost-only sign-in)', () => {
    // Prepare
    const stack = buildStack({ signIn: LOCAL_ONLY_SIGN_IN });

    // Act
    const template = Template.fromStack(stack);

    // Assess
    template.resourceCountIs('AWS::CloudFront::Distribution', 0);
    expect(only(template, 'AWS::ApiGatewayV2::Api')[1].Properties).not.toHaveProperty('CorsConfiguration');
  });

  it('refuses to synthesize without a console build', () => {
    // Act / Assess
    expect(() => buildStack({ console: { assetPath: 'test/cdk/fixtures' } }, testApp())).toThrow(
      ConsoleNotBuiltError,
    );
  });
});
