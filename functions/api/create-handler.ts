/**
 * The API Lambda without its configuration: every route of `functions/shared/routes.ts` served by the
 * `api` function, and /openapi.json over the routes of every function. Header normaliser, JSON body parser, then dispatch by route key; problem+json for every
 * error. The cloud entry (`handler.ts`) and the local runtime build it with their own dependencies; this
 * module reads no environment, so anything may import it.
 */
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { buildOpenApiDocument } from '#shared/http/openapi.ts';
import { problemErrors } from '#shared/http/problem.ts';
import { type ApiRoute, dispatch, type HttpEvent } from '#shared/http/route.ts';
import { exitsRoutes } from '../exits/routes.ts';
import type { ApiDeps } from './deps.ts';
import { getCampaignRoute, putCampaignRoute } from './routes/campaigns.ts';
import { getCheckRoute, postChecksRoute } from './routes/checks.ts';
import { getClassificationRoute, startClassificationRoute } from './routes/classifications.ts';
import { countsRoute } from './routes/counts.ts';
import { evaluationReportRoute } from './routes/evaluation-report.ts';
import { evaluationRoutes } from './routes/evaluations.ts';
import {
  createImportRoute,
  getImportRoute,
  importErrorsRoute,
  listImportsRoute,
  releaseImportRoute,
} from './routes/imports.ts';
import { listSubjectsRoute } from './routes/listing-views.ts';
import { listingRoutes } from './routes/listings.ts';
import { getSubjectRoute } from './routes/subjects.ts';
import { healthRoute, openApiRoute } from './routes/system.ts';
import { monthTrailRoute } from './routes/trail.ts';

let openApiDocument: unknown;

export const apiRoutes: ApiRoute<ApiDeps>[] = [
  healthRoute as ApiRoute<ApiDeps>,
  openApiRoute(() => {
    const everyRoute = [...apiRoutes, ...exitsRoutes] as ApiRoute<never>[];
    openApiDocument ??= buildOpenApiDocument(everyRoute, {
      title: 'credit-governance',
      version: '1',
    });
    return openApiDocument;
  }) as ApiRoute<ApiDeps>,
  listSubjectsRoute,
  countsRoute,
  getSubjectRoute,
  createImportRoute,
  listImportsRoute,
  getImportRoute,
  importErrorsRoute,
  releaseImportRoute,
  monthTrailRoute,
  ...listingRoutes,
  getCheckRoute,
  postChecksRoute,
  startClassificationRoute,
  getClassificationRoute,
  ...evaluationRoutes,
  evaluationReportRoute,
  getCampaignRoute,
  putCampaignRoute,
];

/** The Lambda handler over `deps`. */
export function createApiHandler(deps: ApiDeps) {
  return middy<HttpEvent, APIGatewayProxyResultV2>()
    .use(problemErrors())
    .use(httpHeaderNormalizer())
    .use(httpJsonBodyParser({ disableContentTypeError: true }))
    .handler((event) => dispatch(apiRoutes, event, () => deps));
}
