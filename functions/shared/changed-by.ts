/** Who and why for a change made through the API: the caller's token and the request. */
import * as z from 'zod';
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

/** {@link ChangedBy} as the API describes it, on import receipts and trail entries. */
export const changedBySchema = z
  .object({
    principal: z.string(),
    role: z.string(),
    department: z.string().optional(),
    district: z.string().optional(),
    cause: z.object({
      kind: z.enum(['import', 'request', 'exit', 'schedule', 'system']),
      id: z.string().describe('the import id, request id, exit id or run id'),
    }),
    reason: z.string().optional(),
  })
  .describe('who made the change and why')
  .meta({ id: 'ChangedBy' });
