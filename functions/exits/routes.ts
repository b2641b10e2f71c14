/**
 * The routes the exits function serves, defined as the API's are (`#shared/http/route.ts`), so that
 * /openapi.json describes them from their definitions. None yet: until the exits issue, the function
 * answers 501 to every route the published table gives it, and the document lists them as 501.
 */
import type { ApiRoute } from '#shared/http/route.ts';
import type { ExitsDeps } from './create-handler.ts';

export const exitsRoutes: readonly ApiRoute<ExitsDeps>[] = [];
