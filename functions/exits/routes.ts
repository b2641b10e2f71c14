/**
 * The routes the exits function serves, defined as the API's are (`#shared/http/route.ts`), so that
 * /openapi.json describes them from their definitions. A route of the published table not listed here
 * answers 501, and the document lists it so.
 */
import type { ApiRoute } from '#shared/http/route.ts';
import type { ExitsDeps } from './create-handler.ts';
import { bulkRoutes } from './routes/bulk.ts';
import { evidenceRoutes } from './routes/evidence.ts';
import { exitQueueRoutes } from './routes/queues.ts';
import { exitReportRoutes } from './routes/reports.ts';
import { submissionRoutes } from './routes/submissions.ts';

export const exitsRoutes: readonly ApiRoute<ExitsDeps>[] = [
  ...submissionRoutes,
  ...bulkRoutes,
  ...exitQueueRoutes,
  ...exitReportRoutes,
  ...evidenceRoutes,
];
