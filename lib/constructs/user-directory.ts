/**
 * The Cognito user pool that issues the API's tokens when no external issuer is configured. Users are
 * created by the city credit office, never by themselves; each carries `custom:role`, `custom:district`
 * and `custom:department`, which the handlers turn into a scope (`functions/shared/auth.ts`).
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

/** The custom attributes a token carries, as `custom:<name>` claims in the ID token. */
export const SCOPE_ATTRIBUTES = ['role', 'district', 'department'] as const;

export class UserDirectory extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  /** The `iss` of the pool's tokens. */
  readonly issuer: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);

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
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
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

    // The scope attributes are readable but not writable through the client: a user who could write
    // custom:district could read another district's data.
    const readAttributes = new cognito.ClientAttributes()
      .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
      .withCustomAttributes(...SCOPE_ATTRIBUTES);
    const writeAttributes = new cognito.ClientAttributes().withStandardAttributes({ fullname: true });

    this.client = this.userPool.addClient('Client', {
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      readAttributes,
      writeAttributes,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      enableTokenRevocation: true,
    });

    // ProviderURL is `https://cognito-idp.<region>.<suffix>/<pool id>`, the `iss` of the pool's tokens,
    // as Cognito reports it in whatever partition it runs (ProviderName is the same without the scheme).
    this.issuer = this.userPool.userPoolProviderUrl;
  }
}
