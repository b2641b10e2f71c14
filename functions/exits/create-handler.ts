/** Exit submissions, without their configuration; reads no environment, so anything may import it. */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2 } from 'aws-lambda';
import { problemResponse } from '#shared/http/problem.ts';
import type { StoreDeps } from '#storage/subject-store.ts';

export interface ExitsDeps {
  readonly store: StoreDeps;
}

/** Filled in by the exits issue; until then every route answers 501 as problem+json. */
export function createExitsHandler(
  _deps: ExitsDeps,
): (event: APIGatewayProxyEventV2WithJWTAuthorizer) => Promise<APIGatewayProxyResultV2> {
  return async (event) => problemResponse(501, 'not-implemented', `${event.routeKey} is not implemented yet`);
}
