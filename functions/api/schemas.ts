/** zod schemas of the API's payloads; they validate and they produce /openapi.json. */
import * as z from 'zod';
import { ACTION_KINDS, roleTitleField } from '#domain/actions.ts';
import { isIsoDate } from '#domain/calendar-dates.ts';
import { EXIT_REASONS, EXIT_STATUSES } from '#domain/exits.ts';
import { LIST_TYPES, LISTING_STATUSES, REGISTRATION_STATUSES, TRIAGE_LISTS } from '#domain/model.ts';
import { listLabel, overrideTrack, PLAN_MEASURE_CODES, tracksOfList } from '#domain/plans.ts';
import { TRIAGE_TRACKS } from '#domain/rule-table.ts';
import { changedBySchema } from '#shared/changed-by.ts';

export const usccParam = z.object({
  uscc: z.string().min(1).max(64).describe('统一社会信用代码 (18 characters); normalised before the check'),
});

/** The department's override as the listing keeps it beside the rule's answer. */
export const classificationOverrideSchema = z
  .object({
    list: z.enum(TRIAGE_LISTS),
    track: z.string(),
    reason: z.string().describe('Chinese, as the department wrote it'),
    by: z.string().describe('the principal who decided'),
    department: z.string(),
    at: z.string(),
  })
  .meta({ id: 'ClassificationOverride' });

export const classificationSchema = z
  .object({
    list: z.enum(TRIAGE_LISTS).describe("the rule's list (the override's list prevails where there is one)"),
    track: z.string(),
    ruleId: z.string(),
    reason: z.string().describe('Chinese, naming the facts used'),
    inputs: z.record(z.string(), z.unknown()).describe('the facts the rules read'),
    ruleTableVersion: z.string(),
    asOf: z.string().describe('yyyy-mm-dd, Asia/Shanghai'),
    nextReviewDate: z.string().optional().describe('the next day on which time alone changes the answer'),
    decidedAt: z.string().describe("when the rule's answer last changed"),
    override: classificationOverrideSchema.optional(),
    measures: z
      .array(
        z.object({
          code: z.string(),
          label: z.string(),
          since: z.string().describe('yyyy-mm-dd'),
          decidedBy: z.string().describe('rule:<id> or department:<name>'),
        }),
      )
      .optional()
      .describe('the constraint measures in force while the listing is on the constraint list'),
  })
  .meta({ id: 'Classification' });

/** `PUT /listings/{listingId}/classification`. */
export const overrideRequestSchema = z
  .object({
    list: z.enum(TRIAGE_LISTS, {
      error: '清单（list）须为 exit（退出）、assist（帮扶）或 constrain（约束）',
    }),
    track: z
      .enum(TRIAGE_TRACKS, { error: `路径（track）须为 ${TRIAGE_TRACKS.join('、')} 之一` })
      .optional()
      .describe("one of the list's tracks; the list's natural track when left out"),
    reason: z
      .string({ error: '理由（reason）须为文字' })
      .trim()
      .min(1, '理由（reason）不能为空：调整分类须写明理由')
      .max(1000, '理由（reason）不能超过 1000 个字'),
  })
  .superRefine((request, context) => {
    if (overrideTrack(request.list, request.track) !== undefined) return;
    const tracks = tracksOfList(request.list).join('、');
    context.addIssue({
      code: 'custom',
      path: ['track'],
      message: `路径 ${request.track} 不属于${listLabel(request.list)}，可选：${tracks}`,
    });
  })
  .meta({ id: 'ClassificationOverrideRequest' });

export const planSchema = z
  .object({
    unit: z.string().describe('the responsible unit'),
    person: z.string().describe('the responsible person as a role title, never a private person'),
    measures: z.array(z.string()).describe('codes of the fixed measures of the listing’s list'),
    note: z.string().optional(),
    deadline: z.string().describe('yyyy-mm-dd, the last day'),
    setAt: z.string(),
  })
  .meta({ id: 'ListingPlan' });

/** `PUT /listings/{listingId}/plan`. */
export const planRequestSchema = z
  .object({
    unit: z
      .string({ error: '责任单位（unit）须为文字' })
      .trim()
      .min(1, '责任单位（unit）不能为空')
      .max(100, '责任单位（unit）不能超过 100 个字'),
    person: roleTitleField('责任人'),
    measures: z
      .array(z.enum(PLAN_MEASURE_CODES, { error: `措施须为 ${PLAN_MEASURE_CODES.join('、')} 之一` }), {
        error: '措施（measures）须为措施代码的列表',
      })
      .min(1, '措施（measures）至少选择一项')
      .max(20, '措施（measures）不能超过 20 项')
      .refine((codes) => new Set(codes).size === codes.length, '措施（measures）有重复'),
    note: z
      .string({ error: '补充说明（note）须为文字' })
      .trim()
      .max(2000, '补充说明（note）不能超过 2000 个字')
      .optional(),
    deadline: z
      .string({ error: '完成时限（deadline）须为日期' })
      .refine(isIsoDate, '完成时限（deadline）须为 yyyy-mm-dd 格式的有效日期'),
  })
  .meta({ id: 'ListingPlanRequest' });

export const actionSchema = z
  .object({
    actionId: z.string(),
    listingId: z.string(),
    uscc: z.string(),
    listType: z.enum(LIST_TYPES),
    listingKey: z.string(),
    kind: z.enum(ACTION_KINDS),
    fields: z.record(z.string(), z.unknown()).describe('the fields of the kind, as recorded'),
    at: z.string().describe('when it was recorded'),
    earliestEligibleDate: z
      .string()
      .optional()
      .describe('repair applications: the first day the listing may be repaired (yyyy-mm-dd)'),
    eligibilityBasis: z.string().optional().describe('repair applications: what that date rests on'),
    changedBy: changedBySchema.optional(),
  })
  .meta({ id: 'ListingAction' });

export const listingSchema = z
  .object({
    listingId: z.string().describe('opaque id for /listings/{listingId} routes'),
    listType: z.enum(LIST_TYPES),
    key: z.string(),
    department: z.string(),
    caseNo: z.string().optional(),
    listedAt: z.string().optional(),
    endsAt: z.string().optional(),
    reason: z.string().optional(),
    obligation: z.string().optional(),
    performance: z.string().optional(),
    status: z.enum(LISTING_STATUSES),
    district: z.string(),
    classification: classificationSchema.optional(),
    plan: planSchema.optional(),
    actions: z.array(actionSchema).optional().describe('the actions taken on the listing, oldest first'),
    tally: z
      .object({
        district: z.string(),
        list: z.enum(TRIAGE_LISTS),
        track: z.string(),
        overridden: z.boolean(),
        overdue: z.boolean(),
      })
      .optional()
      .describe("where the district's triage counts count the listing"),
    dueOn: z.string().optional().describe('the next day triage looks at the listing again'),
    missingFromPush: z.object({ importId: z.string(), at: z.string() }).optional(),
    exitId: z.string().optional().describe('the exit open on the listing, or the one that ended it'),
    exitStatus: z.enum(EXIT_STATUSES).optional().describe("that submission's status"),
    exitedAt: z.string().optional().describe('yyyy-mm-dd: the effective date of the confirmed exit'),
    exitReason: z.enum(EXIT_REASONS).optional().describe("the confirmed exit's reason"),
    source: z.string(),
    importId: z.string().optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Listing' });

export const subjectSchema = z
  .object({
    uscc: z.string(),
    name: z.string(),
    district: z.string().describe('district code, or UNASSIGNED'),
    districtName: z.string().optional(),
    districtSource: z.enum(['column', 'inferred-from-uscc', 'unassigned', 'manual']),
    registrationStatus: z.enum(REGISTRATION_STATUSES).optional(),
    movedTo: z.string().optional(),
    flags: z.object({
      lostContact: z.boolean().optional(),
      bankruptcy: z.boolean().optional(),
      bankruptcyStage: z.string().optional(),
      abnormal: z.boolean().optional(),
    }),
    listed: z.boolean().describe('true while at least one listing is active or awaiting exit confirmation'),
    activeListings: z.number().int(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Subject' });

export const trailEntrySchema = z
  .object({
    entryId: z.string(),
    itemType: z.string().describe('subject, listing, import, exit, enterprise-count, …'),
    itemKey: z.object({ PK: z.string(), SK: z.string() }),
    event: z.enum(['created', 'changed']),
    version: z.number().int().optional().describe("the item's version after the change"),
    at: z.string().describe('when the change was made (ISO 8601)'),
    changedBy: changedBySchema.optional(),
    changes: z
      .record(z.string(), z.object({ before: z.unknown().optional(), after: z.unknown().optional() }))
      .describe('the facts that changed, attribute by attribute, before and after'),
  })
  .meta({ id: 'TrailEntry' });

export const subjectDetailSchema = z
  .object({
    subject: subjectSchema,
    warnings: z.array(z.object({ code: z.string(), message: z.string() })),
    listings: z.array(listingSchema),
    history: z.array(trailEntrySchema).describe('the trail of the subject and its listings, newest first'),
    historyCursor: z.string().optional().describe('pass as historyCursor for the older entries'),
  })
  .meta({ id: 'SubjectDetail' });
