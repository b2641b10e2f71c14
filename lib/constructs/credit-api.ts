/**
 * The HTTP API, wired from the one route table (`functions/shared/routes.ts`) that the local server
 * dispatches from too. Every route goes through the JWT authorizer except those the table marks public.
 */

import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type ApiFunction, ROUTES, routeKey } from '#shared/routes.ts';

export interface ApiThrottle {
  /** Steady requests per second for the whole stage. */
  readonly rateLimit: number;
  /** Requests allowed in a burst above the rate. */
  readonly burstLimit: number;
}

export interface CreditApiProps {
  /** The Lambda serving each `function` of the route table. */
  readonly handlers: Record<ApiFunction, lambda.IFunction>;
  /** `iss` the JWT authorizer accepts. */
  readonly jwtIssuer: string;
  /** `aud` (or, for access tokens, `client_id`) values the JWT authorizer accepts. */
  readonly jwtAudience: readonly string[];
  /** Stage-wide throttling. */
  readonly throttle: ApiThrottle;
  /** Retention of the access log group. */
  readonly logRetention: logs.RetentionDays;
  /**
   * Origins allowed to call the API from a browser.
   * @default - CORS off: the API serves other systems and scripts, not a web page on another origin
   */
  readonly corsAllowOrigins?: readonly string[];
}

/** One JSON line per request; `requestId` lets a line be matched with the function's log. */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    sourceIp: '$context.identity.sourceIp',
    routeKey: '$context.routeKey',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
    principal: '$context.authorizer.claims.sub',
  }),
);

export class CreditApi extends Construct {
  readonly httpApi: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly accessLogGroup: logs.LogGroup;
  /** The routes by route key (`GET /subjects/{uscc}`). */
  readonly routes: ReadonlyMap<string, apigwv2.HttpRoute>;

  constructor(scope: Construct, id: string, props: CreditApiProps) {
    super(scope, id);

    const authorizer = new HttpJwtAuthorizer('JwtAuthorizer', props.jwtIssuer, {
      jwtAudience: [...props.jwtAudience],
    });

    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      description: 'credit-governance API',
      // The stage is created below, with access logging and throttling.
      createDefaultStage: false,
      defaultAuthorizer: authorizer,
      corsPreflight: props.corsAllowOrigins?.length
        ? {
            allowOrigins: [...props.corsAllowOrigins],
            allowMethods: [
              apigwv2.CorsHttpMethod.GET,
              apigwv2.CorsHttpMethod.POST,
              apigwv2.CorsHttpMethod.PUT,
              apigwv2.CorsHttpMethod.DELETE,
            ],
            allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
            maxAge: Duration.hours(1),
          }
        : undefined,
    });

    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.stage = new apigwv2.HttpStage(this, 'Stage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.throttle.rateLimit, burstLimit: props.throttle.burstLimit },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogGroup),
        format: ACCESS_LOG_FORMAT,
      },
    });

    // One integration (and one invoke permission for the whole API) per function rather than per route:
    // a function serves all its routes anyway, and 28 permissions would crowd its resource policy.
    const integrations = Object.fromEntries(
      Object.entries(props.handlers).map(([name, handler]) => [
        name,
        new HttpLambdaIntegration(`${name}-integration`, handler, { scopePermissionToRoute: false }),
      ]),
    ) as Record<ApiFunction, HttpLambdaIntegration>;

    const publicAuthorizer = new apigwv2.HttpNoneAuthorizer();
    const routes = new Map<string, apigwv2.HttpRoute>();
    for (const route of ROUTES) {
      const [httpRoute] = this.httpApi.addRoutes({
        path: route.path,
        methods: [apigwv2.HttpMethod[route.method]],
        integration: integrations[route.function],
        ...(route.public ? { authorizer: publicAuthorizer } : {}),
      });
      if (httpRoute === undefined) throw new Error(`no route created for ${routeKey(route)}`);
      if (route.public) {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${routeKey(route)} is public by design (routes.ts marks it public): it answers a health probe or the OpenAPI document and reads no data.`,
        });
      }
      routes.set(routeKey(route), httpRoute);
    }
    this.routes = routes;
  }

  /** The stage's invoke URL. */
  get url(): string {
    return this.stage.url;
  }
}
