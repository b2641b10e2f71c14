/** zod schemas of the API's payloads; they validate and they produce /openapi.json. */
import { z } from 'zod';
import { LIST_TYPES, LISTING_STATUSES, REGISTRATION_STATUSES, TRIAGE_LISTS } from '#domain/model.ts';
import { changedBySchema } from '#shared/changed-by.ts';

export const usccParam = z.object({
  uscc: z.string().min(1).max(64).describe('统一社会信用代码 (18 characters); normalised before the check'),
});

export const classificationSchema = z
  .object({
    list: z.enum(TRIAGE_LISTS),
    track: z.string(),
    ruleId: z.string(),
    reason: z.string().describe('Chinese, naming the facts used'),
    decidedAt: z.string(),
    override: z
      .object({
        list: z.enum(TRIAGE_LISTS),
        track: z.string(),
        reason: z.string(),
        by: z.string(),
        at: z.string(),
      })
      .optional(),
  })
  .meta({ id: 'Classification' });

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
    plan: z.unknown().optional(),
    actions: z.array(z.unknown()).optional(),
    missingFromPush: z.object({ importId: z.string(), at: z.string() }).optional(),
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
