/**
 * Exit submissions written straight into a test table with the exit store's own item builder (`exitItem`:
 * the same keys and queue indexes the workflow writes), for tests of what reads them: the queues and the
 * 信用中国 batches.
 */
import { randomUUID } from 'node:crypto';
import type { ExitDecision, ExitReason, ExitStatus, ExitSubmission } from '#domain/exits.ts';
import type { ListType } from '#domain/model.ts';
import { batchPutAll } from '#storage/batch.ts';
import { exitItem } from '#storage/exit-store.ts';
import { encodeListingId } from '#storage/keys.ts';
import type { StoreDeps } from '#storage/subject-store.ts';

export interface SeedExit {
  readonly district: string;
  readonly department: string;
  readonly status: ExitStatus;
  /** When the current round was submitted (ISO). */
  readonly submittedAt: string;
  readonly reason?: ExitReason;
  readonly uscc?: string;
  readonly subjectName?: string;
  readonly listType?: ListType;
  readonly revokedSystem?: string;
  /** Rounds before the current one (returned and resubmitted). @default 0 */
  readonly earlierRounds?: number;
  readonly reportId?: string;
}

const SEED_USCC = '91130102MA0000000X';

function decision(role: string, principal: string, at: string, district?: string): ExitDecision {
  return {
    principal,
    role,
    ...(district === undefined ? {} : { district }),
    at,
    decision: 'approve',
    comment: '材料齐全',
  };
}

/** A submission in `status`, its current round submitted at `submittedAt`, decided an hour per step later. */
export function seedExit(input: SeedExit): ExitSubmission {
  const exitId = randomUUID();
  const uscc = input.uscc ?? SEED_USCC;
  const listType = input.listType ?? 'market-violation';
  const key = `（2022）冀${exitId.slice(0, 8)}号`;
  const later = (hours: number) => new Date(Date.parse(input.submittedAt) + hours * 3_600_000).toISOString();
  const reviewed = input.status === 'reviewed' || input.status === 'confirmed';
  const round = {
    reason: input.reason ?? 'deregistered',
    effectiveDate: '2026-04-30',
    evidence: [{ kind: 'registry-record' as const, ref: '石市监注销字〔2026〕第18号' }],
    publicationRevoked: { system: input.revokedSystem ?? '信用河北网站', date: '2026-05-01' },
    submitted: {
      principal: `dept-${input.department}`,
      role: 'department',
      department: input.department,
      at: input.submittedAt,
    },
    ...(reviewed
      ? { review: decision('district', `district-${input.district}`, later(1), input.district) }
      : {}),
    ...(input.status === 'confirmed' ? { confirmation: decision('city', 'city-officer', later(2)) } : {}),
  };
  const earlier = Array.from({ length: input.earlierRounds ?? 0 }, (_, index) => ({
    ...round,
    round: index + 1,
    submitted: { ...round.submitted, at: '2026-01-05T02:00:00.000Z' },
    review: {
      ...decision('district', `district-${input.district}`, '2026-01-06T02:00:00.000Z'),
      decision: 'reject' as const,
    },
    confirmation: undefined,
  }));
  const rounds = [
    ...earlier.map(({ confirmation: _, ...rest }) => rest),
    { ...round, round: earlier.length + 1 },
  ];
  return {
    exitId,
    listingId: encodeListingId(uscc, listType, key),
    uscc,
    listType,
    key,
    subjectName: input.subjectName ?? '石家庄某某商贸有限公司',
    district: input.district,
    department: input.department,
    listedAt: '2022-11-03',
    status: input.status,
    rounds,
    createdAt: rounds[0]?.submitted.at ?? input.submittedAt,
    updatedAt: later(input.status === 'confirmed' ? 2 : reviewed ? 1 : 0),
    ...(input.reportId === undefined ? {} : { reportId: input.reportId }),
  };
}

/** Writes the submissions as the exit store does (version 1). */
export async function putExits(store: StoreDeps, exits: readonly ExitSubmission[]): Promise<void> {
  const actor = { principal: 'seed', role: 'system', cause: { kind: 'system' as const, id: 'seed' } };
  await batchPutAll(
    store.client,
    store.tableName,
    exits.map((exit) => exitItem(exit, 1, actor)),
    4,
  );
}
