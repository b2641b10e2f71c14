/**
 * The joint-punishment check (docs/rules.md): `GET /checks/{uscc}` for one code, `POST /checks` for up
 * to a thousand. Any role may check any company, wherever it is placed: a district weighing a subsidy
 * for a company from another district needs the same answer. The `consumer` role reaches these two
 * routes and no other. Every answered check is recorded before it is given (the trail reads it).
 */
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { classifyCheckCode } from '#domain/checks.ts';
import { LIST_TYPES } from '#domain/model.ts';
import type { Scope } from '#shared/auth.ts';
import { requestActor } from '#shared/changed-by.ts';
import { InvalidUsccError } from '#shared/errors.ts';
import { defineRoute, type HttpEvent } from '#shared/http/route.ts';
import { runCheck } from '#storage/check-store.ts';
import type { ApiDeps } from '../deps.ts';

/** A batch holds at most this many codes; a larger list goes through the drop folder or in parts. */
export const MAX_CHECK_CODES = 1_000;

/** A code longer than this is no code, and would only bloat the check's record. */
const MAX_CODE_LENGTH = 64;

const CHECK_ROLES = ['city', 'district', 'department', 'consumer'] as const;

const checkMeasureSchema = z
  .object({
    code: z.string(),
    label: z.string().describe('Chinese'),
    since: z.string().describe('yyyy-mm-dd: in force since'),
    decidedBy: z.string().describe('`rule:<id>` (the triage rule) or `department:<name>` (an override)'),
  })
  .meta({ id: 'CheckMeasure' });

const checkListingSchema = z
  .object({
    listingId: z.string(),
    uscc: z.string(),
    listType: z.enum(LIST_TYPES),
    listTypeLabel: z.string().describe('Chinese'),
    department: z.string().describe('the designating department (认定部门)'),
    listedAt: z.string().optional(),
    status: z.enum(['active', 'exit-pending']),
    list: z
      .enum(['exit', 'assist', 'constrain', 'unclassified'])
      .describe("the department's override where set, else the rule's"),
    track: z.string().optional(),
    measures: z.array(checkMeasureSchema).describe('constraint measures in force (constraint list only)'),
  })
  .meta({ id: 'CheckListing' });

export const checkAnswerSchema = z
  .object({
    code: z.string().describe('the code as asked'),
    uscc: z.string().optional().describe('the USCC the code stands for, where exactly one is known'),
    listed: z.boolean().describe('a listing is active or awaiting exit confirmation'),
    listings: z.array(checkListingSchema),
    candidates: z
      .array(z.string())
      .optional()
      .describe('every USCC an organisation code matched, when it matched several'),
    error: z
      .object({
        code: z.enum([
          'empty',
          'invalid-uscc',
          'invalid-org-code',
          'not-a-code',
          'person-id',
          'ambiguous-org-code',
        ]),
        message: z.string().describe('Chinese'),
      })
      .optional(),
  })
  .meta({ id: 'CheckAnswer' });

const codeParam = z.object({
  uscc: z
    .string()
    .min(1)
    .max(MAX_CODE_LENGTH)
    .describe('统一社会信用代码 (18) or 组织机构代码 (9, or XXXXXXXX-X); normalised before the check'),
});

const checkBody = z.object({
  codes: z
    .array(z.string().max(MAX_CODE_LENGTH, `每个代码最长 ${MAX_CODE_LENGTH} 个字符`))
    .min(1, '至少提供 1 个代码')
    .max(MAX_CHECK_CODES, `一次最多核查 ${MAX_CHECK_CODES} 个代码，请分批提交`),
});

function checkOf(scope: Scope, event: HttpEvent, codes: readonly string[]) {
  const requestId = event.requestContext.requestId;
  return {
    checkId: randomUUID(),
    codes,
    actor: requestActor(scope, requestId),
    channel: 'api' as const,
  };
}

export const getCheckRoute = defineRoute<ApiDeps, { uscc: string }, unknown, unknown>({
  method: 'GET',
  path: '/checks/{uscc}',
  summary: 'Joint-punishment check of one company: listed or not, its active listings and measures',
  tags: ['checks'],
  roles: CHECK_ROLES,
  params: codeParam,
  response: checkAnswerSchema,
  errors: [400, 401, 403],
  handle: async ({ params, scope, deps, event }) => {
    const checked = classifyCheckCode(params.uscc);
    // a code that is none is the caller's mistake, answered before anything is read or recorded
    if (checked.kind === 'malformed')
      throw new InvalidUsccError(checked.error.message, { error: checked.error.code });
    const [answer] = await runCheck(deps.store, checkOf(scope, event, [params.uscc]));
    return answer;
  },
});

export const postChecksRoute = defineRoute<ApiDeps, unknown, unknown, z.infer<typeof checkBody>>({
  method: 'POST',
  path: '/checks',
  summary: 'Joint-punishment check of up to 1 000 codes, answered in the same order',
  tags: ['checks'],
  roles: CHECK_ROLES,
  body: checkBody,
  response: z.object({ results: z.array(checkAnswerSchema) }).meta({ id: 'CheckResults' }),
  errors: [400, 401, 403],
  handle: async ({ body, scope, deps, event }) => ({
    results: await runCheck(deps.store, checkOf(scope, event, body.codes)),
  }),
});
