import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2 } from 'aws-lambda';

/** Exit submissions. Filled in by the exits issue; until then every route answers 501 as problem+json. */
export async function handler(
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
): Promise<APIGatewayProxyResultV2> {
  return {
    statusCode: 501,
    headers: { 'content-type': 'application/problem+json' },
    body: JSON.stringify({
      type: 'about:blank',
      title: 'Not Implemented',
      status: 501,
      code: 'not-implemented',
      detail: `${event.routeKey} is not implemented yet`,
    }),
  };
}
