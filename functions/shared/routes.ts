/**
 * The HTTP routes and which Lambda serves each. The CDK stack wires API Gateway from this table and the
 * local server dispatches from it, so the two cannot disagree about a path, a method or who may call it.
 */
export type ApiFunction = 'api' | 'exits';

export interface RouteDefinition {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** API Gateway path syntax: `/subjects/{uscc}`. */
  readonly path: string;
  readonly function: ApiFunction;
  /** Public routes skip the JWT authorizer. */
  readonly public?: boolean;
}

export const ROUTES: readonly RouteDefinition[] = [
  { method: 'GET', path: '/health', function: 'api', public: true },
  { method: 'GET', path: '/openapi.json', function: 'api', public: true },
  { method: 'POST', path: '/imports', function: 'api' },
  { method: 'GET', path: '/imports', function: 'api' },
  { method: 'GET', path: '/imports/{importId}', function: 'api' },
  { method: 'GET', path: '/imports/{importId}/errors', function: 'api' },
  { method: 'POST', path: '/imports/{importId}/release', function: 'api' },
  { method: 'GET', path: '/subjects', function: 'api' },
  { method: 'GET', path: '/subjects/{uscc}', function: 'api' },
  { method: 'PUT', path: '/listings/{listingId}/classification', function: 'api' },
  { method: 'PUT', path: '/listings/{listingId}/plan', function: 'api' },
  { method: 'POST', path: '/listings/{listingId}/actions', function: 'api' },
  { method: 'POST', path: '/classifications', function: 'api' },
  { method: 'GET', path: '/classifications/{jobId}', function: 'api' },
  { method: 'GET', path: '/counts', function: 'api' },
  { method: 'POST', path: '/exits', function: 'exits' },
  { method: 'POST', path: '/exits/bulk', function: 'exits' },
  { method: 'POST', path: '/exits/evidence', function: 'exits' },
  { method: 'GET', path: '/exits', function: 'exits' },
  { method: 'GET', path: '/exits/{exitId}', function: 'exits' },
  { method: 'POST', path: '/exits/{exitId}/review', function: 'exits' },
  { method: 'POST', path: '/exits/{exitId}/confirm', function: 'exits' },
  { method: 'POST', path: '/exits/{exitId}/withdraw', function: 'exits' },
  { method: 'POST', path: '/exits/{exitId}/resubmit', function: 'exits' },
  { method: 'POST', path: '/exit-reports', function: 'exits' },
  { method: 'GET', path: '/exit-reports', function: 'exits' },
  { method: 'GET', path: '/exit-reports/{reportId}', function: 'exits' },
  { method: 'GET', path: '/checks/{uscc}', function: 'api' },
  { method: 'POST', path: '/checks', function: 'api' },
  { method: 'PUT', path: '/enterprise-counts/{month}', function: 'api' },
  { method: 'PUT', path: '/benchmarks/{month}', function: 'api' },
  { method: 'GET', path: '/campaigns/current', function: 'api' },
  { method: 'PUT', path: '/campaigns/current', function: 'api' },
  { method: 'GET', path: '/evaluations', function: 'api' },
  { method: 'GET', path: '/evaluations/{month}', function: 'api' },
  { method: 'POST', path: '/evaluations/{month}', function: 'api' },
  { method: 'GET', path: '/evaluations/{month}/report', function: 'api' },
  { method: 'GET', path: '/trail', function: 'api' },
];

/** The API Gateway route key of a route: `GET /subjects/{uscc}`. */
export function routeKey(route: RouteDefinition): string {
  return `${route.method} ${route.path}`;
}

/**
 * Matches a concrete method and path against the table; returns the route and its path parameters. The
 * path is already decoded, as API Gateway decodes it before routing (`local/http-event.ts`).
 */
export function matchRoute(
  method: string,
  path: string,
): { route: RouteDefinition; pathParameters: Record<string, string> } | undefined {
  const segments = path.split('/').filter((segment) => segment !== '');
  for (const route of ROUTES) {
    if (route.method !== method.toUpperCase()) continue;
    const pattern = route.path.split('/').filter((segment) => segment !== '');
    if (pattern.length !== segments.length) continue;
    const pathParameters: Record<string, string> = {};
    const matches = pattern.every((part, index) => {
      const segment = segments[index] ?? '';
      if (part.startsWith('{') && part.endsWith('}')) {
        pathParameters[part.slice(1, -1)] = segment;
        return true;
      }
      return part === segment;
    });
    if (matches) return { route, pathParameters };
  }
  return undefined;
}
