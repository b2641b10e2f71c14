/**
 * The offices' console in the cloud: the built Vite app (`console/dist`) in a private bucket, served by
 * CloudFront through origin access control, HTTPS only, with security headers; `config.json` beside it
 * tells the console where the API is and how to sign in through the user pool's hosted UI.
 *
 * The circle, and where it is cut. The console's origin (the distribution's domain) must be a callback
 * URL of the app client and the only browser origin of the API and of the drop folder's uploads; the
 * console in turn must know the API's URL and the client. CloudFormation allows no cycle of references,
 * so nothing the distribution itself is made of may name the API, the client or the drop folder:
 * - `config.json` (the API URL, the client id, the hosted UI) is written by a BucketDeployment, a
 *   resource nobody depends on, so it names them all after they exist. The API is created after this
 *   construct in the stack, so its URL comes in as a `Lazy` value, resolved at synthesis.
 * - The callback and logout URLs of the client are the configured ones plus the console's address
 *   (`allowSignIn`): the client depends on the distribution, never the reverse.
 * - The Content-Security-Policy belongs to the distribution, so its `connect-src` cannot name the API's
 *   id or the drop folder's bucket (both depend on the console's origin through CORS). It allows the
 *   region's API Gateway and S3 hosts instead, and the hosted UI by name (the user pool's domain does
 *   not depend on the console). Scripts, styles, frames and forms stay on the console's own origin.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { acknowledgeConsoleFindings } from '../stack-acknowledgements.ts';
import { hostedUiSignIn, regionalConnectSources, securityHeadersPolicy } from './console-site-policy.ts';

/** The console's own domain name, with its certificate (in us-east-1, as CloudFront requires). */
export interface ConsoleDomain {
  readonly domainName: string;
  readonly certificateArn: string;
}

/** How the stack may shape the console. */
export interface ConsoleSiteSettings {
  /**
   * The built console (`index.html` and `assets/`), relative to the project root or absolute.
   * @default 'console/dist' (built by `npm run console:build`)
   */
  readonly assetPath?: string;
  /**
   * A domain of the city's own instead of the distribution's `*.cloudfront.net` address.
   * @default - the distribution's address and CloudFront's default certificate
   */
  readonly domain?: ConsoleDomain;
}

/** What the console's `config.json` says about signing in, but the address it returns to. */
export interface ConsoleSignIn {
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  readonly logoutUrl?: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
}

export interface ConsoleSiteProps {
  /** The built console: a folder with `index.html`. */
  readonly assetPath: string;
  readonly domain?: ConsoleDomain;
  /** The stack's bucket for server access logs (the console bucket logs under `console-site/`). */
  readonly serverAccessLogsBucket: s3.IBucket;
  /** How long CloudFront's access logs are kept. */
  readonly accessLogRetention: Duration;
  /** Retention of the deployment function's log group. */
  readonly logRetention: logs.RetentionDays;
  /** The API's invoke URL; a `Lazy` value when the API is created after the console. */
  readonly apiUrl: string;
  /** The hosted UI's (or another issuer's) endpoints and the app client. */
  readonly signIn: ConsoleSignIn;
  /** Origins the browser may call besides the console itself: the token endpoint's, the API's. */
  readonly connectSources: readonly string[];
}

/** Files that name the others: read on every visit, so a deployment shows at once. */
const ENTRY_FILES = ['index.html', 'config.json'] as const;
/** Vite's hashed chunks: a new build never reuses a name, so a year's cache is safe. */
const ASSETS_PATTERN = 'assets/*';

/** The console is missing at synthesis: a deployment would serve nothing. */
export class ConsoleNotBuiltError extends Error {
  constructor(path: string) {
    super(`no console build at ${path} (index.html missing): run npm run console:build first`);
    this.name = 'ConsoleNotBuiltError';
  }
}

export class ConsoleSite extends Construct {
  readonly bucket: s3.Bucket;
  readonly logBucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly headersPolicy: cloudfront.ResponseHeadersPolicy;
  /** `https://<host>`, without a trailing slash: the API's and the drop folder's CORS origin. */
  readonly origin: string;
  /** `https://<host>/`: where the hosted UI sends people back after sign-in and sign-out. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ConsoleSiteProps) {
    super(scope, id);
    const indexHtml = join(props.assetPath, 'index.html');
    if (!existsSync(indexHtml)) throw new ConsoleNotBuiltError(props.assetPath);

    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      // SSE-S3: origin access control reads SSE-KMS objects only with a key policy for CloudFront.
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      serverAccessLogsPrefix: 'console-site/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // CloudFront's standard logs are written with ACLs, so this bucket cannot enforce bucket ownership
    // like the stack's other log bucket; the bucket owner still owns every object.
    this.logBucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      serverAccessLogsPrefix: 'console-access-logs/',
      lifecycleRules: [{ id: 'expire-access-logs', expiration: props.accessLogRetention }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.headersPolicy = securityHeadersPolicy(this, props.connectSources);

    const origin = origins.S3BucketOrigin.withOriginAccessControl(this.bucket);
    const common = {
      origin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      responseHeadersPolicy: this.headersPolicy,
      compress: true,
    };
    // index.html and config.json: CloudFront asks S3 again on every request (a cheap 304), so a
    // deployment or a new API address reaches every office at once.
    const entryCache = new cloudfront.CachePolicy(this, 'EntryCache', {
      comment: 'credit-governance console: index.html and config.json, revalidated every time',
      defaultTtl: Duration.seconds(0),
      minTtl: Duration.seconds(0),
      maxTtl: Duration.minutes(1),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    const certificate =
      props.domain === undefined
        ? undefined
        : acm.Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn);
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'credit-governance console',
      defaultRootObject: 'index.html',
      defaultBehavior: { ...common, cachePolicy: entryCache },
      additionalBehaviors: {
        [ASSETS_PATTERN]: { ...common, cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED },
      },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      // Offices are in China's mainland; PRICE_CLASS_ALL includes the nearest edges (Hong Kong, Asia).
      priceClass: cloudfront.PriceClass.PRICE_CLASS_ALL,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      ...(props.domain === undefined || certificate === undefined
        ? {}
        : {
            domainNames: [props.domain.domainName],
            certificate,
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
          }),
    });

    const host = props.domain?.domainName ?? this.distribution.distributionDomainName;
    this.origin = `https://${host}`;
    this.url = `${this.origin}/`;

    this.deploy(props, readFileSync(indexHtml, 'utf8'));
    new CfnOutput(this, 'Url', { description: "The offices' console", value: this.url });
  }

  /**
   * Two deployments: the hashed assets first, cached for a year and never pruned (a tab still open on
   * the previous index.html loads its lazy routes from the previous chunks), then index.html and
   * config.json, revalidated on every visit and invalidated at the edge.
   */
  private deploy(props: ConsoleSiteProps, indexHtml: string): void {
    const logGroup = new logs.LogGroup(this, 'DeploymentLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const assets = new s3deploy.BucketDeployment(this, 'DeployAssets', {
      destinationBucket: this.bucket,
      sources: [s3deploy.Source.asset(props.assetPath, { exclude: [...ENTRY_FILES] })],
      cacheControl: [
        s3deploy.CacheControl.setPublic(),
        s3deploy.CacheControl.maxAge(Duration.days(365)),
        s3deploy.CacheControl.immutable(),
      ],
      prune: false,
      logGroup,
    });
    const config = {
      mode: 'cloud',
      apiBase: props.apiUrl,
      signIn: { ...props.signIn, redirectUri: this.url },
    };
    const entry = new s3deploy.BucketDeployment(this, 'DeployEntry', {
      destinationBucket: this.bucket,
      sources: [
        s3deploy.Source.data('index.html', indexHtml),
        s3deploy.Source.jsonData('config.json', config),
      ],
      cacheControl: [s3deploy.CacheControl.noCache()],
      prune: false,
      distribution: this.distribution,
      distributionPaths: ['/', ...ENTRY_FILES.map((file) => `/${file}`)],
      logGroup,
    });
    entry.node.addDependency(assets);
  }

  /**
   * Makes the console a callback and logout URL of the app client, beside the configured ones. The L2
   * client takes its URLs only when it is created, and checking them there would refuse a token.
   */
  allowSignIn(client: cognito.UserPoolClient): void {
    const cfn = client.node.defaultChild as cognito.CfnUserPoolClient;
    cfn.callbackUrLs = [...(cfn.callbackUrLs ?? []), this.url];
    cfn.logoutUrLs = [...(cfn.logoutUrLs ?? []), this.url];
  }

  /** Lets the console PUT to (and read from) the drop folder's presigned URLs. */
  allowUploads(bucket: s3.Bucket): void {
    bucket.addCorsRule({
      allowedOrigins: [this.origin],
      allowedMethods: [s3.HttpMethods.PUT, s3.HttpMethods.GET, s3.HttpMethods.HEAD],
      allowedHeaders: ['*'],
      exposedHeaders: ['ETag'],
      maxAge: 3600,
    });
  }
}

/** What `addConsoleSite` wires the console to. */
export interface ConsoleWiring {
  readonly settings: ConsoleSiteSettings | undefined;
  /** The project root, against which a relative `assetPath` is read. */
  readonly projectRoot: string;
  /** The stack's user pool; the console signs in through its hosted UI. */
  readonly users: { readonly client: cognito.UserPoolClient; readonly domain?: cognito.UserPoolDomain };
  /** The API's invoke URL, `Lazy` while the API is yet to be created. */
  readonly apiUrl: string;
  /** The drop folder: its bucket takes the console's uploads, its log bucket the site's access logs. */
  readonly dropFolder: { readonly bucket: s3.Bucket; readonly accessLogsBucket: s3.IBucket };
  readonly logRetention: logs.RetentionDays;
}

/**
 * The console, when people can sign in to it: the user pool has a hosted UI domain. Without one (a
 * synth or trial that signs in on localhost only) nobody could sign in to a deployed console, so none
 * is deployed; the local runtime serves it.
 */
export function addConsoleSite(scope: Construct, wiring: ConsoleWiring): ConsoleSite | undefined {
  const domain = wiring.users.domain;
  if (domain === undefined) return undefined;
  const baseUrl = domain.baseUrl();
  const site = new ConsoleSite(scope, 'Console', {
    assetPath: resolve(wiring.projectRoot, wiring.settings?.assetPath ?? 'console/dist'),
    ...(wiring.settings?.domain === undefined ? {} : { domain: wiring.settings.domain }),
    serverAccessLogsBucket: wiring.dropFolder.accessLogsBucket,
    accessLogRetention: Duration.days(365),
    logRetention: wiring.logRetention,
    apiUrl: wiring.apiUrl,
    signIn: hostedUiSignIn(baseUrl, wiring.users.client.userPoolClientId),
    connectSources: regionalConnectSources(baseUrl),
  });
  acknowledgeConsoleFindings(Stack.of(scope), {
    bucket: site.bucket,
    customCertificate: wiring.settings?.domain !== undefined,
  });
  site.allowSignIn(wiring.users.client);
  site.allowUploads(wiring.dropFolder.bucket);
  return site;
}
