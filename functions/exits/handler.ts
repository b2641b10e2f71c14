import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2 } from 'aws-lambda';
import { problemResponse } from '../api/http.ts';

/** Exit submissions. Filled in by the exits issue; until then every route answers 501 as problem+json. */
export async function handler(
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
): Promise<APIGatewayProxyResultV2> {
  return problemResponse(501, 'not-implemented', `${event.routeKey} is not implemented yet`);
}
