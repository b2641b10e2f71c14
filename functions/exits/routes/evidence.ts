/**
 * `POST /exits/evidence`: a department asks where to upload an evidence file for an exit submission, as
 * `POST /imports` does for a list; it PUTs the file there and names the key (and the file's SHA-256) in
 * the submission's evidence, which is checked then.
 */
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { NotImplementedError } from '#shared/errors.ts';
import { defineRoute } from '#shared/http/route.ts';
import type { ExitsDeps } from '../create-handler.ts';
import { evidenceFileNameProblem, evidenceKey, MAX_EVIDENCE_FILE_NAME_LENGTH } from '../evidence.ts';

const UPLOAD_URL_SECONDS = 15 * 60;

const evidenceRequest = z.object({
  fileName: z
    .string()
    .trim()
    .superRefine((name, context) => {
      const problem = evidenceFileNameProblem(name);
      if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
    })
    .describe(
      `the file's name (pdf, ofd, image or office document), at most ${MAX_EVIDENCE_FILE_NAME_LENGTH} characters`,
    ),
  sha256: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'sha256 应为 64 位十六进制的 SHA-256 摘要')
    .transform((value) => value.toLowerCase())
    .describe("the file's SHA-256, hex; the submission names it again and it is checked against the upload"),
});

type EvidenceRequest = z.infer<typeof evidenceRequest>;

export const createEvidenceUploadRoute = defineRoute<ExitsDeps, unknown, unknown, EvidenceRequest>({
  method: 'POST',
  path: '/exits/evidence',
  summary: 'Where to PUT an evidence file: its key goes into an exit submission as an evidence ref',
  tags: ['exits'],
  roles: ['department'],
  body: evidenceRequest,
  response: z
    .object({
      key: z.string().describe('evidence/<department>/<uploadId>/<fileName>: the `ref` of the evidence item'),
      uploadUrl: z.string(),
      sha256: z.string(),
      expiresInSeconds: z.number().int(),
    })
    .meta({ id: 'EvidenceUpload' }),
  successStatus: 201,
  errors: [400, 401, 403],
  handle: async ({ body, scope, deps }) => {
    if (deps.drop === undefined) throw new NotImplementedError('证明材料上传');
    const key = evidenceKey(scope.department ?? '', randomUUID(), body.fileName);
    const uploadUrl = await deps.drop().presignPut(key, UPLOAD_URL_SECONDS);
    return { key, uploadUrl, sha256: body.sha256, expiresInSeconds: UPLOAD_URL_SECONDS };
  },
});

export const evidenceRoutes = [createEvidenceUploadRoute];
