/**
 * The API Lambda: every route of `functions/shared/routes.ts` served by the `api` function.
 * Header normaliser, JSON body parser, then dispatch by route key; problem+json for every error.
 */
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { type ApiDeps, apiDeps } from './deps.ts';
import { type ApiRoute, dispatch, type HttpEvent, problemErrors } from './http.ts';
import { buildOpenApiDocument } from './openapi.ts';
import {
  createImportRoute,
  getImportRoute,
  importErrorsRoute,
  listImportsRoute,
  releaseImportRoute,
} from './routes/imports.ts';
import { getSubjectRoute } from './routes/subjects.ts';
import { healthRoute, openApiRoute } from './routes/system.ts';

let openApiDocument: unknown;

export const apiRoutes: ApiRoute<ApiDeps>[] = [
  healthRoute as ApiRoute<ApiDeps>,
  openApiRoute(() => {
    openApiDocument ??= buildOpenApiDocument(apiRoutes as ApiRoute<never>[], {
      title: 'credit-governance',
      version: '1',
    });
    return openApiDocument;
  }) as ApiRoute<ApiDeps>,
  getSubjectRoute,
  createImportRoute,
  listImportsRoute,
  getImportRoute,
  importErrorsRoute,
  releaseImportRoute,
];

export const handler = middy<HttpEvent, APIGatewayProxyResultV2>()
  .use(problemErrors())
  .use(httpHeaderNormalizer())
  .use(httpJsonBodyParser({ disableContentTypeError: true }))
  .handler((event) => dispatch(apiRoutes, event, apiDeps));
