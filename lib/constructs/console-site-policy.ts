/**
 * What the deployed console may call and how it signs in: the hosts of its Content-Security-Policy's
 * `connect-src`, the policy itself and the response headers that carry it, and the hosted UI's OAuth
 * endpoints its config.json names. Kept apart from the construct (console-site.ts), which only places
 * them; its file comment says why the policy names regional hosts rather than the API and the bucket.
 */
import { Aws, Duration } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type { Construct } from 'constructs';
import type { ConsoleSignIn } from './console-site.ts';

const TWO_YEARS = Duration.days(730);

/**
 * The hosts the console calls besides its own origin, none of which may depend on the console (see
 * console-site.ts): the hosted UI's token and logout endpoints, and the region's API Gateway and S3
 * hosts (the API, and the presigned upload and download URLs of the drop folder).
 */
export function regionalConnectSources(hostedUiBaseUrl: string): string[] {
  return [
    hostedUiBaseUrl,
    `https://*.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`,
    `https://*.s3.${Aws.REGION}.${Aws.URL_SUFFIX}`,
  ];
}

/** The console's Content-Security-Policy: everything from its own origin, calls to `connectSources`. */
export function contentSecurityPolicy(connectSources: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Vue, Element Plus and ECharts set styles through the CSSOM (element.style), which CSP allows; no
    // page of the console showed a violation under this policy in Chromium (see docs/console.md).
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ${connectSources.join(' ')}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    'upgrade-insecure-requests',
  ].join('; ');
}

/** The hosted UI's OAuth endpoints, as the console's config.json names them. */
export function hostedUiSignIn(baseUrl: string, clientId: string): ConsoleSignIn {
  return {
    authorizeUrl: `${baseUrl}/oauth2/authorize`,
    tokenUrl: `${baseUrl}/oauth2/token`,
    logoutUrl: `${baseUrl}/logout`,
    clientId,
    scopes: ['openid', 'email', 'profile'],
  };
}

/**
 * The response headers of every file the console serves: HSTS, the Content-Security-Policy with
 * `connectSources`, no framing, no sniffing, no referrer, no camera or microphone.
 */
export function securityHeadersPolicy(
  scope: Construct,
  connectSources: readonly string[],
): cloudfront.ResponseHeadersPolicy {
  return new cloudfront.ResponseHeadersPolicy(scope, 'SecurityHeaders', {
    comment: 'credit-governance console: HSTS, CSP, no framing, no sniffing, no referrer',
    securityHeadersBehavior: {
      strictTransportSecurity: { accessControlMaxAge: TWO_YEARS, includeSubdomains: true, override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
      referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      contentSecurityPolicy: {
        contentSecurityPolicy: contentSecurityPolicy(connectSources),
        override: true,
      },
    },
    customHeadersBehavior: {
      customHeaders: [
        {
          header: 'Permissions-Policy',
          value: 'camera=(), microphone=(), geolocation=(), payment=()',
          override: true,
        },
        { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
      ],
    },
  });
}
