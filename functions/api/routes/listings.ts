/**
 * What people set on one listing (docs/rules.md, Overrides, plans and actions): the designating
 * department's override of the rule's answer, the plan (by the department or the district office), and
 * the actions taken. Overrides and plans go through the one listing edit path, so the triage tally,
 * due day and district counters follow; actions are items of their own.
 */
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import {
  type ActionRequest,
  actionProblems,
  actionRequestSchema,
  repairEligibility,
} from '#domain/actions.ts';
import {
  type Classification,
  effectiveList,
  isCountingStatus,
  LIST_TYPES,
  type Listing,
  type ListType,
  type Subject,
  shanghaiDate,
} from '#domain/model.ts';
import { overrideTrack, planProblems } from '#domain/plans.ts';
import type { ListingRef } from '#domain/subject-writes.ts';
import { classifyListing } from '#domain/triage.ts';
import { decisionOf, nextClassification } from '#domain/triage-state.ts';
import { ownsListing, type Scope } from '#shared/auth.ts';
import { requestActor } from '#shared/changed-by.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '#shared/errors.ts';
import { defineRoute } from '#shared/http/route.ts';
import { putAction } from '#storage/action-store.ts';
import { decodeListingId, encodeListingId } from '#storage/keys.ts';
import { editListing } from '#storage/listing-edit.ts';
import { getListing, getSubject } from '#storage/subject-store.ts';
import { readRuleTable } from '#storage/triage-store.ts';
import type { ApiDeps } from '../deps.ts';
import { actionSchema, listingSchema, overrideRequestSchema, planRequestSchema } from '../schemas.ts';

const listingParam = z.object({
  listingId: z.string().min(1).max(2048).describe('the `listingId` of GET /subjects/{uscc}'),
});
type ListingParam = z.infer<typeof listingParam>;

/** The listing an id names; an id this API did not issue names nothing. */
function listingRefOf(listingId: string): ListingRef {
  const decoded = decodeListingId(listingId);
  if (decoded === undefined || !(LIST_TYPES as readonly string[]).includes(decoded.listType))
    throw new NotFoundError(`名单记录 ${listingId}`);
  return { uscc: decoded.uscc, listType: decoded.listType as ListType, key: decoded.key };
}

/** The designating department (谁认定、谁指导、谁整治), within its district if its token names one. */
function isDesignatingDepartment(scope: Scope, listing: Listing, subject: Subject): boolean {
  return ownsListing(scope, { department: listing.department, district: subject.district });
}

/** The district office where the subject is placed (属地管理). */
function isDistrictOffice(scope: Scope, subject: Subject): boolean {
  return scope.role === 'district' && scope.district === subject.district;
}

function requireDesignatingDepartment(scope: Scope, listing: Listing, subject: Subject): void {
  if (!isDesignatingDepartment(scope, listing, subject))
    throw new ForbiddenError('只有该名单记录的认定部门可以调整其分类');
}

function requireResponsible(scope: Scope, listing: Listing, subject: Subject, what: string): void {
  if (!isDesignatingDepartment(scope, listing, subject) && !isDistrictOffice(scope, subject))
    throw new ForbiddenError(`只有该名单记录的认定部门或所在区县信用办可以${what}`);
}

/** Nothing is planned or done any more for a listing that has exited. */
function requireCounting(listing: Listing, what: string): void {
  if (!isCountingStatus(listing.status))
    throw new ConflictError('listing-exited', `该名单记录已退出，不能再${what}`);
}

function listingView(listing: Listing) {
  return { ...listing, listingId: encodeListingId(listing.uscc, listing.listType, listing.key) };
}

/** The override's track: the one named, or the list's natural one (the body schema checked it fits). */
function trackOf(body: z.infer<typeof overrideRequestSchema>): string {
  const track = overrideTrack(body.list, body.track);
  if (track === undefined) throw new ValidationError(`请求体 track：路径 ${body.track} 不属于所选清单`);
  return track;
}

export const overrideClassificationRoute = defineRoute<
  ApiDeps,
  ListingParam,
  unknown,
  z.infer<typeof overrideRequestSchema>
>({
  method: 'PUT',
  path: '/listings/{listingId}/classification',
  summary: "The designating department's override of the rule's list and track, with its reason",
  tags: ['listings'],
  roles: ['department'],
  params: listingParam,
  body: overrideRequestSchema,
  response: listingSchema,
  errors: [400, 401, 403, 404, 409],
  handle: async ({ params, body, scope, deps, event }) => {
    const ref = listingRefOf(params.listingId);
    const now = deps.store.clock.now();
    const today = shanghaiDate(now);
    const rules = await readRuleTable(deps.store);
    const actor = requestActor(scope, event.requestContext.requestId, body.reason);
    const outcome = await editListing(deps.store, ref, actor, today, ({ listing, subject }) => {
      requireDesignatingDepartment(scope, listing, subject);
      requireCounting(listing, '调整分类');
      // A listing not yet triaged gets the rule's answer first, so the override sits beside it.
      const decision =
        listing.classification === undefined
          ? classifyListing({ listing, subject, asOf: today, rules })
          : decisionOf(listing.classification);
      const override: NonNullable<Classification['override']> = {
        list: body.list,
        track: trackOf(body),
        reason: body.reason,
        by: scope.principal,
        department: scope.department ?? listing.department,
        at: now.toISOString(),
      };
      const classification = nextClassification(listing.classification, decision, now, today, override);
      return { ...listing, classification };
    });
    if (outcome.outcome === 'missing') throw new NotFoundError(`名单记录 ${params.listingId}`);
    return listingView(outcome.listing);
  },
});

export const setPlanRoute = defineRoute<ApiDeps, ListingParam, unknown, z.infer<typeof planRequestSchema>>({
  method: 'PUT',
  path: '/listings/{listingId}/plan',
  summary: "A listing's plan: responsible unit and role, measures of its list, deadline",
  tags: ['listings'],
  roles: ['department', 'district'],
  params: listingParam,
  body: planRequestSchema,
  response: listingSchema,
  errors: [400, 401, 403, 404, 409],
  handle: async ({ params, body, scope, deps, event }) => {
    const ref = listingRefOf(params.listingId);
    const now = deps.store.clock.now();
    const today = shanghaiDate(now);
    const actor = requestActor(scope, event.requestContext.requestId);
    const outcome = await editListing(deps.store, ref, actor, today, ({ listing, subject }) => {
      requireResponsible(scope, listing, subject, '制定整治计划');
      requireCounting(listing, '制定整治计划');
      if (listing.classification === undefined)
        throw new ConflictError('listing-unclassified', '该名单记录尚未分类，请先完成分类再制定计划');
      const problems = planProblems(body, effectiveList(listing.classification), today);
      if (problems.length > 0) throw bodyProblemsError(problems);
      const { unit, person, measures, note, deadline } = body;
      const plan = { unit, person, measures, ...(note ? { note } : {}), deadline, setAt: now.toISOString() };
      return { ...listing, plan };
    });
    if (outcome.outcome === 'missing') throw new NotFoundError(`名单记录 ${params.listingId}`);
    return listingView(outcome.listing);
  },
});

function bodyProblemsError(problems: readonly { field: string; message: string }[]): ValidationError {
  return new ValidationError(
    problems.map(({ field, message }) => `请求体 ${field}：${message}`).join('；'),
    problems.map(({ field, message }) => ({ path: `body.${field}`, message })),
  );
}

export const recordActionRoute = defineRoute<ApiDeps, ListingParam, unknown, ActionRequest>({
  method: 'POST',
  path: '/listings/{listingId}/actions',
  summary:
    'Records an action taken on a listing (pairing, warning, interview, repair guidance or application)',
  tags: ['listings'],
  roles: ['department', 'district'],
  params: listingParam,
  body: actionRequestSchema,
  response: actionSchema,
  successStatus: 201,
  errors: [400, 401, 403, 404, 409],
  handle: async ({ params, body, scope, deps, event }) => {
    const ref = listingRefOf(params.listingId);
    const [listing, subject] = await Promise.all([
      getListing(deps.store, ref, true),
      getSubject(deps.store, ref.uscc, true),
    ]);
    if (listing === undefined || subject === undefined)
      throw new NotFoundError(`名单记录 ${params.listingId}`);
    requireResponsible(scope, listing, subject, '登记帮扶与惩戒行动');
    requireCounting(listing, '登记行动');
    const now = deps.store.clock.now();
    const today = shanghaiDate(now);
    const problems = actionProblems(body, today);
    if (problems.length > 0) throw bodyProblemsError(problems);
    const { kind, ...fields } = body;
    const eligibility =
      body.kind === 'repair-application'
        ? repairEligibility(listing, subject, await readRuleTable(deps.store), today, body.pledgeReceivedOn)
        : undefined;
    const action = {
      actionId: randomUUID(),
      listingId: encodeListingId(ref.uscc, ref.listType, ref.key),
      uscc: ref.uscc,
      listType: ref.listType,
      listingKey: ref.key,
      kind,
      fields,
      at: now.toISOString(),
      ...(eligibility?.earliestEligibleDate === undefined
        ? {}
        : { earliestEligibleDate: eligibility.earliestEligibleDate }),
      ...(eligibility === undefined ? {} : { eligibilityBasis: eligibility.basis }),
    };
    const changedBy = requestActor(scope, event.requestContext.requestId);
    await putAction(deps.store, action, changedBy);
    return { ...action, changedBy };
  },
});

export const listingRoutes = [overrideClassificationRoute, setPlanRoute, recordActionRoute];
