/** zod schemas of the exit routes' payloads: they validate (in Chinese) and produce /openapi.json. */
import * as z from 'zod';
import { isIsoDate } from '#domain/calendar-dates.ts';
import {
  EVIDENCE_KINDS,
  EXIT_REASONS,
  EXIT_STATUSES,
  type ExitRequest,
  missingEvidence,
} from '#domain/exits.ts';
import { LIST_TYPES } from '#domain/model.ts';

function isoDate(label: string) {
  return z.string({ error: `${label}须为日期` }).refine(isIsoDate, `${label}须为 yyyy-mm-dd 格式的有效日期`);
}

const SHA256 = /^[0-9a-f]{64}$/i;

/** An evidence item as a request gives it. */
const evidenceRequestSchema = z
  .object({
    kind: z.enum(EVIDENCE_KINDS, { error: `材料类型（kind）须为 ${EVIDENCE_KINDS.join('、')} 之一` }),
    ref: z
      .string({ error: '材料编号（ref）须为文字' })
      .trim()
      .min(1, '材料编号（ref）不能为空')
      .max(300, '材料编号（ref）不能超过 300 个字符')
      .describe('a document number, or the key of a file uploaded through POST /exits/evidence'),
    sha256: z
      .string()
      .regex(SHA256, '文件摘要（sha256）须为 64 位十六进制字符')
      .optional()
      .describe("an uploaded file's SHA-256, checked against the stored file"),
  })
  .describe('a document number, or an uploaded file with its SHA-256');

const requestFields = {
  reason: z.enum(EXIT_REASONS, { error: `退出原因（reason）须为 ${EXIT_REASONS.join('、')} 之一` }),
  effectiveDate: isoDate('退出日期（effectiveDate）').describe(
    'yyyy-mm-dd: the day the listing ends; not after today, not before the listed date',
  ),
  evidence: z
    .array(evidenceRequestSchema, { error: '证明材料（evidence）须为列表' })
    .max(20, '证明材料（evidence）不能超过 20 项'),
  publicationRevoked: z
    .object(
      {
        system: z
          .string({ error: '撤销公示系统（system）须为文字' })
          .trim()
          .min(1, '撤销公示系统（system）不能为空')
          .max(200, '撤销公示系统（system）不能超过 200 个字符'),
        date: isoDate('撤销公示日期（date）'),
      },
      { error: '撤销公示（publicationRevoked）须载明系统（system）和日期（date）' },
    )
    .describe('where and when the department revoked the publication (撤销公示)'),
  note: z.string().trim().max(1000, '备注（note）不能超过 1000 个字符').optional(),
};

/** The evidence a reason needs, as a zod issue on `evidence`. */
function checkEvidence(request: Pick<ExitRequest, 'reason' | 'evidence'>, context: z.RefinementCtx): void {
  const missing = missingEvidence(request);
  if (missing !== undefined) context.addIssue({ code: 'custom', path: ['evidence'], message: missing });
}

/** `POST /exits/{exitId}/resubmit`: a corrected request. */
export const exitRequestSchema = z
  .object(requestFields)
  .superRefine(checkEvidence)
  .meta({ id: 'ExitRequest' });

/** `POST /exits`: the request and the listing it ends. */
export const submitExitSchema = z
  .object({
    listingId: z
      .string({ error: '名单记录（listingId）须为文字' })
      .min(1, '名单记录（listingId）不能为空')
      .max(2048)
      .describe('the `listingId` of GET /subjects/{uscc}'),
    ...requestFields,
  })
  .superRefine(checkEvidence)
  .meta({ id: 'ExitSubmitRequest' });

/** `POST /exits/{exitId}/review` and `/confirm`. */
export const exitDecisionSchema = z
  .object({
    decision: z.enum(['approve', 'reject'], {
      error: '决定（decision）须为 approve（同意）或 reject（退回）',
    }),
    comment: z.string().trim().max(1000, '意见（comment）不能超过 1000 个字符').optional(),
  })
  .refine((body) => body.decision === 'approve' || (body.comment ?? '') !== '', {
    path: ['comment'],
    message: '退回时须填写意见（comment）',
  })
  .meta({ id: 'ExitDecisionRequest' });

/** `POST /exits/{exitId}/withdraw`: an optional reason. */
export const withdrawExitSchema = z
  .object({ comment: z.string().trim().max(1000, '说明（comment）不能超过 1000 个字符').optional() })
  .optional();

export const exitIdParam = z.object({ exitId: z.string().min(1).max(100) });

const exitActorSchema = z.object({
  principal: z.string(),
  role: z.string(),
  department: z.string().optional(),
  district: z.string().optional(),
  at: z.string(),
});

const exitDecisionRecordSchema = exitActorSchema.extend({
  decision: z.enum(['approve', 'reject']),
  comment: z.string(),
});

/** An evidence item as a submission keeps it. */
const evidenceSchema = z
  .object({ kind: z.enum(EVIDENCE_KINDS), ref: z.string(), sha256: z.string().optional() })
  .meta({ id: 'ExitEvidence' });

export const exitRoundSchema = z
  .object({
    reason: z.enum(EXIT_REASONS),
    effectiveDate: z.string().describe('yyyy-mm-dd'),
    evidence: z.array(evidenceSchema),
    publicationRevoked: z.object({ system: z.string(), date: z.string().describe('yyyy-mm-dd') }),
    note: z.string().optional(),
    round: z.number().int().describe('1 for the first submission, one more for each resubmission'),
    submitted: exitActorSchema,
    review: exitDecisionRecordSchema.optional().describe("the district office's decision"),
    confirmation: exitDecisionRecordSchema.optional().describe("the city office's decision"),
    withdrawn: exitActorSchema.optional(),
  })
  .meta({ id: 'ExitRound' });

export const exitSchema = z
  .object({
    exitId: z.string(),
    listingId: z.string(),
    uscc: z.string(),
    listType: z.enum(LIST_TYPES),
    key: z.string(),
    subjectName: z.string(),
    district: z.string().describe('the district whose office reviews it'),
    department: z.string().describe('the designating department'),
    listedAt: z.string().optional(),
    status: z.enum(EXIT_STATUSES),
    rounds: z.array(exitRoundSchema).describe('every round, oldest first, as it was decided'),
    createdAt: z.string(),
    updatedAt: z.string(),
    reportId: z.string().optional().describe('the 信用中国 batch that reported it'),
    version: z.number().int(),
  })
  .meta({ id: 'ExitSubmission' });
