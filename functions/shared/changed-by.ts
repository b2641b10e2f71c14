/** Who and why for a change made through the API: the caller's token and the request. */
import type { ChangedBy } from '#domain/trail.ts';
import type { Scope } from './auth.ts';

/** The {@link ChangedBy} of a request: its caller, its request id, and the reason the caller gave. */
export function requestActor(scope: Scope, requestId: string, reason?: string): ChangedBy {
  return {
    principal: scope.principal,
    role: scope.role,
    ...(scope.department === undefined ? {} : { department: scope.department }),
    ...(scope.district === undefined ? {} : { district: scope.district }),
    cause: { kind: 'request', id: requestId },
    ...(reason === undefined ? {} : { reason }),
  };
}
