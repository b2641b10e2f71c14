/**
 * The Cognito user pool that issues the API's tokens when no external issuer is configured. Users are
 * created by the city credit office (`scripts/create-user.ts`), never by themselves; each carries
 * `custom:role`, `custom:district` and `custom:department`, which the handlers turn into a scope
 * (`functions/shared/auth.ts`). The offices sign in through the hosted UI with the authorization code
 * flow; the web app is a public client (no secret), so it must send a PKCE challenge.
 */
import { CfnOutput, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLES, type Role } from '#shared/auth.ts';

/** The custom attributes a token carries, as `custom:<name>` claims in the ID token. */
export const SCOPE_ATTRIBUTES = ['role', 'district', 'department'] as const;

/** How long the temporary password of an invitation works; the invitation says so. */
const TEMPORARY_PASSWORD_DAYS = 3;

/** The invitation the city office's new users receive (AdminCreateUser): both placeholders are required. */
export const USER_INVITATION = {
  emailSubject: '【信用领域突出问题专项治理】系统账号开通通知',
  emailBody: [
    '您好：',
    '市信用办已为您开通信用领域突出问题专项治理系统账号。',
    '用户名：{username}',
    '临时密码：{####}',
    `请在 ${TEMPORARY_PASSWORD_DAYS} 天内登录并设置新密码；首次登录时须绑定身份验证器应用（动态口令）。`,
    '临时密码仅限本人使用，请勿转告他人。如您未申请此账号，请与市信用办联系。',
  ].join('<br>'),
} as const;

/**
 * The code sent when an address is verified or a password reset. Cognito fills in only the code here
 * ({username} is offered in invitations alone), so the message names the system instead.
 */
export const USER_VERIFICATION = {
  emailSubject: '【信用领域突出问题专项治理】邮箱验证码',
  emailBody: [
    '您好：',
    '您在信用领域突出问题专项治理系统的验证码为 {####}，请在页面中输入以完成验证。',
    '如非本人操作，请忽略本邮件并与市信用办联系。',
  ].join('<br>'),
} as const;

/** What each role's group is for; the group never grants anything, `custom:role` does. */
const GROUP_DESCRIPTIONS: Record<Role, string> = {
  city: 'City credit office (市信用办): custom:role=city',
  district: 'District offices (区县信用办): custom:role=district with custom:district',
  department: 'Designating departments (认定部门): custom:role=department with custom:department',
  consumer: 'Other government systems checking subjects (联合惩戒查询): custom:role=consumer',
};

/** The hosted sign-in of the offices' web app. */
export interface SignInSettings {
  /**
   * Where the hosted UI sends the authorization code: the offices' web app. `https://`, or
   * `http://localhost` for a developer's machine (the only plain-HTTP address Cognito accepts).
   */
  readonly callbackUrls: readonly string[];
  /** Where the hosted UI may send the user after signing out. */
  readonly logoutUrls: readonly string[];
  /**
   * Prefix of the hosted UI's domain, `https://<prefix>.auth.<region>.amazoncognito.com` (lowercase
   * letters, digits and hyphens, unique in the region, without `aws`, `amazon` or `cognito`).
   * @default - no hosted UI domain; allowed only when every URL is on localhost
   */
  readonly domainPrefix?: string;
}

/**
 * The sign-in of `-c signInLocalOnly=true`: a synth or a trial deployment that nobody signs in to but a
 * developer on localhost. Real offices need their web app's addresses and a domain prefix.
 */
export const LOCAL_ONLY_SIGN_IN: SignInSettings = {
  callbackUrls: ['http://localhost:8080/callback'],
  logoutUrls: ['http://localhost:8080/'],
};

/** The hosted sign-in's settings are missing or would not work. */
export class SignInSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignInSettingsError';
  }
}

/**
 * The sign-in settings, or a refusal naming the context keys: a user pool with placeholder callback
 * URLs (CDK's default is `https://example.com`) would deploy fine and send every office's code away.
 */
export function requireSignIn(signIn: SignInSettings | undefined): SignInSettings {
  if (signIn !== undefined) return signIn;
  throw new SignInSettingsError(
    "The user pool needs the offices' sign-in addresses: give -c signInCallbackUrls=https://… " +
      '-c signInLogoutUrls=https://… -c signInDomainPrefix=<prefix> (or the stack prop signIn), ' +
      'or -c signInLocalOnly=true for a synth or trial that signs in on localhost only, ' +
      'or -c jwtIssuer=… -c jwtAudience=… to use an issuer of your own.',
  );
}

const PLACEHOLDER_HOSTS = /(^|\.)(example\.(com|net|org)|[^.]+\.example)$/i;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function isLoopback(url: URL): boolean {
  return LOOPBACK_HOSTS.has(url.hostname);
}

/** An absolute https URL (or http on localhost) without a fragment, on no placeholder domain. */
function checkUrl(kind: string, text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new SignInSettingsError(`${kind} ${text} is not an absolute URL`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url)))
    throw new SignInSettingsError(`${kind} ${text} must use https (plain http only on localhost)`);
  if (url.hash !== '') throw new SignInSettingsError(`${kind} ${text} must not carry a fragment`);
  if (PLACEHOLDER_HOSTS.test(url.hostname))
    throw new SignInSettingsError(`${kind} ${text} is a placeholder address, not the offices' web app`);
  return url;
}

/** Refuses settings Cognito would refuse at deploy time, or that would send codes to no real app. */
export function checkSignIn(signIn: SignInSettings): void {
  if (signIn.callbackUrls.length === 0) throw new SignInSettingsError('at least one callback URL is needed');
  if (signIn.logoutUrls.length === 0) throw new SignInSettingsError('at least one logout URL is needed');
  const urls = [
    ...signIn.callbackUrls.map((url) => checkUrl('callback URL', url)),
    ...signIn.logoutUrls.map((url) => checkUrl('logout URL', url)),
  ];
  const prefix = signIn.domainPrefix;
  if (prefix === undefined) {
    if (!urls.every(isLoopback))
      throw new SignInSettingsError('a hosted UI domain prefix is needed for sign-in beyond localhost');
    return;
  }
  if (!DOMAIN_PREFIX.test(prefix) || /aws|amazon|cognito/.test(prefix))
    throw new SignInSettingsError(
      `domain prefix ${prefix} must be 1–63 lowercase letters, digits or inner hyphens, without aws, amazon or cognito`,
    );
}

export interface UserDirectoryProps {
  /** The hosted sign-in: callback and logout URLs of the offices' web app, the domain prefix. */
  readonly signIn: SignInSettings;
}

export class UserDirectory extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  /** The hosted UI's domain, when a prefix was given. */
  readonly domain: cognito.UserPoolDomain | undefined;
  /** The `iss` of the pool's tokens. */
  readonly issuer: string;

  constructor(scope: Construct, id: string, props: UserDirectoryProps) {
    super(scope, id);
    checkSignIn(props.signIn);

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      standardAttributes: { email: { required: true, mutable: true } },
      customAttributes: {
        role: new cognito.StringAttribute({ minLen: 1, maxLen: 32, mutable: true }),
        // A six-digit administrative division code.
        district: new cognito.StringAttribute({ minLen: 6, maxLen: 6, mutable: true }),
        department: new cognito.StringAttribute({ minLen: 1, maxLen: 128, mutable: true }),
      },
      userInvitation: USER_INVITATION,
      userVerification: { ...USER_VERIFICATION, emailStyle: cognito.VerificationEmailStyle.CODE },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(TEMPORARY_PASSWORD_DAYS),
      },
      // Staff who see a whole district's listings sign in with a second factor; TOTP needs no SMS role.
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // One group per role, named as the role, so the city office can list who holds each role
    // (ListUsersInGroup). The scope comes from custom:role alone; the admin script keeps both in step.
    for (const role of ROLES) {
      this.userPool.addGroup(`Group-${role}`, { groupName: role, description: GROUP_DESCRIPTIONS[role] });
    }

    this.client = this.addWebClient(props.signIn);

    const prefix = props.signIn.domainPrefix;
    this.domain =
      prefix === undefined
        ? undefined
        : this.userPool.addDomain('HostedUi', { cognitoDomain: { domainPrefix: prefix } });
    if (this.domain !== undefined) {
      new CfnOutput(this, 'HostedUiUrl', {
        description: 'Base URL of the hosted sign-in (/oauth2/authorize, /oauth2/token, /logout)',
        value: this.domain.baseUrl(),
      });
    }

    // ProviderURL is `https://cognito-idp.<region>.<suffix>/<pool id>`, the `iss` of the pool's tokens,
    // as Cognito reports it in whatever partition it runs (ProviderName is the same without the scheme).
    this.issuer = this.userPool.userPoolProviderUrl;
  }

  /**
   * The offices' web app: a public client (no secret: a browser cannot keep one) that gets tokens only
   * through the hosted UI's authorization code grant, which a public client completes with PKCE. No
   * implicit grant (tokens in the URL), no SRP or password sign-in beside the hosted UI.
   */
  private addWebClient(signIn: SignInSettings): cognito.UserPoolClient {
    // The scope attributes are readable but not writable through the client: a user who could write
    // custom:district could read another district's data.
    const readAttributes = new cognito.ClientAttributes()
      .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
      .withCustomAttributes(...SCOPE_ATTRIBUTES);
    const writeAttributes = new cognito.ClientAttributes().withStandardAttributes({ fullname: true });

    return this.userPool.addClient('Client', {
      generateSecret: false,
      // Only refresh beside the hosted UI: CDK adds ALLOW_REFRESH_TOKEN_AUTH to any list it writes.
      authFlows: { userSrp: false },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [...signIn.callbackUrls],
        logoutUrls: [...signIn.logoutUrls],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      readAttributes,
      writeAttributes,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      enableTokenRevocation: true,
    });
  }
}
