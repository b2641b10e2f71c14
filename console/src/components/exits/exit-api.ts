/**
 * The exit routes as the console calls them (functions/exits/routes/*.ts). The words, statuses and the
 * evidence each reason needs come from the server's own domain module, so a label or a rule never
 * differs between the console and the API's checks.
 */
import type {
  Evidence,
  ExitReason,
  ExitRequest,
  ExitStatus,
  ExitSubmission,
} from '../../../../functions/domain/exits.ts';
import type { ListType } from '../../../../functions/domain/model.ts';
import { api, type Query } from '../../api.ts';

export type {
  Evidence,
  EvidenceKind,
  ExitActor,
  ExitDecision,
  ExitReason,
  ExitRequest,
  ExitRound,
  ExitStatus,
} from '../../../../functions/domain/exits.ts';
export {
  EVIDENCE_KIND_LABELS,
  EVIDENCE_KINDS,
  EXIT_REASON_LABELS,
  EXIT_REASONS,
  EXIT_STATUS_LABELS,
  EXIT_STATUSES,
  REQUIRED_EVIDENCE,
} from '../../../../functions/domain/exits.ts';
export { LIST_TYPE_LABELS } from '../../../../functions/domain/model.ts';

/** `GET /exits/{exitId}`: the submission with every round and its version. */
export type ExitView = ExitSubmission & { readonly version: number };

/** One row of `GET /exits` (ExitQueueRow). */
export interface ExitQueueRow {
  readonly exitId: string;
  readonly listingId: string;
  readonly uscc: string;
  readonly subjectName: string;
  readonly district: string;
  readonly districtName: string;
  readonly department: string;
  readonly listType: ListType;
  readonly listTypeLabel: string;
  readonly listedAt?: string;
  readonly status: ExitStatus;
  readonly statusLabel: string;
  readonly round: number;
  readonly reason: ExitReason;
  readonly reasonLabel: string;
  readonly effectiveDate: string;
  readonly submittedAt: string;
  readonly waitingDays: number;
  readonly reportId?: string;
}

export interface ExitQueuePage {
  readonly items: readonly ExitQueueRow[];
  readonly cursor?: string;
}

export function listExits(query: Query): Promise<ExitQueuePage> {
  return api<ExitQueuePage>('/exits', { query });
}

export function getExit(exitId: string): Promise<ExitView> {
  return api<ExitView>(`/exits/${encodeURIComponent(exitId)}`);
}

export function submitExit(listingId: string, request: ExitRequest): Promise<ExitView> {
  return api<ExitView>('/exits', { method: 'POST', body: { listingId, ...request } });
}

export function resubmitExit(exitId: string, request: ExitRequest): Promise<ExitView> {
  return api<ExitView>(`/exits/${encodeURIComponent(exitId)}/resubmit`, { method: 'POST', body: request });
}

export function withdrawExit(exitId: string, comment: string): Promise<ExitView> {
  return api<ExitView>(`/exits/${encodeURIComponent(exitId)}/withdraw`, {
    method: 'POST',
    body: comment === '' ? {} : { comment },
  });
}

/** The two decisions: the district office reviews, the city confirms; a rejection needs a comment. */
export type DecisionStep = 'review' | 'confirm';

export function decideExit(
  exitId: string,
  step: DecisionStep,
  decision: 'approve' | 'reject',
  comment: string,
): Promise<ExitView> {
  return api<ExitView>(`/exits/${encodeURIComponent(exitId)}/${step}`, {
    method: 'POST',
    body: comment === '' ? { decision } : { decision, comment },
  });
}

export interface BulkExitResult {
  readonly results: readonly {
    readonly listingId: string;
    readonly exitId?: string;
    readonly status: number;
    readonly code?: string;
    readonly detail?: string;
  }[];
  readonly submitted: number;
  readonly failed: number;
}

/** `POST /exits/bulk`: the department's direct exits (rule E1), prefilled from the registry. */
export function bulkExits(body: {
  effectiveDate?: string;
  publicationRevoked: ExitRequest['publicationRevoked'];
  note?: string;
}): Promise<BulkExitResult> {
  return api<BulkExitResult>('/exits/bulk', { method: 'POST', body });
}

async function sha256Hex(file: Blob): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export class EvidenceUploadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvidenceUploadError';
  }
}

/**
 * An evidence file as the API takes it: `POST /exits/evidence` answers a presigned upload URL (never the
 * file in a request body), the file is PUT there, and the submission names the key with the SHA-256,
 * which the API checks against the stored bytes.
 */
export async function uploadEvidence(file: File, kind: Evidence['kind']): Promise<Evidence> {
  const sha256 = await sha256Hex(file);
  const target = await api<{ key: string; uploadUrl: string }>('/exits/evidence', {
    method: 'POST',
    body: { fileName: file.name, sha256 },
  });
  const response = await fetch(target.uploadUrl, { method: 'PUT', body: file }).catch(() => undefined);
  if (response === undefined || !response.ok)
    throw new EvidenceUploadError(
      `证明材料“${file.name}”上传失败（HTTP ${response?.status ?? '网络错误'}），请重试`,
    );
  return { kind, ref: target.key, sha256 };
}

/** The listing id the API issues is base64url JSON `[uscc, listType, key]`: the subject it names. */
export function usccOfListingId(listingId: string): string | undefined {
  try {
    const text = atob(listingId.replaceAll('-', '+').replaceAll('_', '/'));
    const parsed: unknown = JSON.parse(
      new TextDecoder().decode(Uint8Array.from(text, (c) => c.charCodeAt(0))),
    );
    return Array.isArray(parsed) && typeof parsed[0] === 'string' ? parsed[0] : undefined;
  } catch {
    return undefined;
  }
}

/** Where the department revokes the publication, by list (docs/rules.md, Exits: review path). */
export const PUBLICATION_SYSTEMS: Readonly<Record<ListType, string>> = {
  'court-debtor': '中国执行信息公开网',
  'tax-violation': '国家税务总局河北省税务局行政执法信息公示平台',
  'procurement-violation': '中国政府采购网',
  'market-violation': '国家企业信用信息公示系统',
  other: '信用中国（河北石家庄）',
};
