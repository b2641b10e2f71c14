/**
 * The exits Lambda without its configuration: the routes of `functions/shared/routes.ts` served by the
 * `exits` function. Header normaliser, JSON body parser, then dispatch by route key; problem+json for
 * every error. Reads no environment, so anything may import it.
 */
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import type { Evidence } from '#domain/exits.ts';
import { problemErrors } from '#shared/http/problem.ts';
import { dispatch, type HttpEvent } from '#shared/http/route.ts';
import type { DropStore } from '#shared/object-store.ts';
import type { StoreDeps } from '#storage/subject-store.ts';
import { exitsRoutes } from './routes.ts';

export interface ExitsDeps {
  readonly store: StoreDeps;
  /**
   * Checks an evidence item whose `ref` is the key of an uploaded file (`evidence/…`): that the file is
   * there and its SHA-256 is the one given. Answers a Chinese problem, or undefined when it is fine;
   * absent, uploaded files are taken as given.
   */
  readonly verifyEvidence?: (evidence: Evidence) => Promise<string | undefined>;
  /** The bucket, for evidence upload URLs; created at first use. */
  readonly drop?: () => DropStore;
}

/** The Lambda handler over `deps`. */
export function createExitsHandler(deps: ExitsDeps) {
  return middy<HttpEvent, APIGatewayProxyResultV2>()
    .use(problemErrors())
    .use(httpHeaderNormalizer())
    .use(httpJsonBodyParser({ disableContentTypeError: true }))
    .handler((event) => dispatch(exitsRoutes, event, () => deps));
}
