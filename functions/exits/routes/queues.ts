/**
 * `GET /exits`: the exit queues. Each office sees its own by default — a district office the
 * submissions of its district waiting for its review, the city the reviewed ones waiting for
 * confirmation, a department its own submissions in every status — oldest first, with the days each
 * has waited; explicit filters stay inside the caller's scope (403 outside). Signed cursor pages.
 */
import * as z from 'zod';
import { DISTRICTS } from '#domain/district.ts';
import { currentExitRound, waitingDays } from '#domain/exit-queue.ts';
import {
  EXIT_REASON_LABELS,
  EXIT_REASONS,
  EXIT_STATUS_LABELS,
  EXIT_STATUSES,
  type ExitReason,
  type ExitStatus,
  type ExitSubmission,
} from '#domain/exits.ts';
import { districtLabel } from '#domain/listing-row.ts';
import { LIST_TYPE_LABELS, LIST_TYPES, UNASSIGNED_DISTRICT } from '#domain/model.ts';
import { normalizeDepartment, type Scope } from '#shared/auth.ts';
import { InvalidCursorError, ScopeViolationError } from '#shared/errors.ts';
import { type CursorContext, openCursor, sealCursor } from '#shared/http/cursor.ts';
import { defineRoute } from '#shared/http/route.ts';
import { type ExitQueueFilter, type ExitQueueSource, exitQueuePage } from '#storage/exit-queue-store.ts';
import type { ExitsDeps } from '../create-handler.ts';

const DISTRICT_VALUES: [string, ...string[]] = [
  UNASSIGNED_DISTRICT,
  ...DISTRICTS.map((district) => district.code),
];

const queueQuery = z.object({
  status: z
    .enum(EXIT_STATUSES, { error: `状态（status）须为 ${EXIT_STATUSES.join('、')} 之一` })
    .optional()
    .describe(
      'default: a district office submitted, the city reviewed (its queue to act on), a department every status',
    ),
  district: z
    .enum(DISTRICT_VALUES, { error: '区县（district）须为石家庄市的区县代码或 UNASSIGNED' })
    .optional()
    .describe('the listing district (a district office: its own only)'),
  department: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe('the designating department (a department: its own only)'),
  reason: z
    .enum(EXIT_REASONS, { error: `退出原因（reason）须为 ${EXIT_REASONS.join('、')} 之一` })
    .optional()
    .describe("the current round's reason"),
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份（month）应为 yyyy-mm')
    .optional()
    .describe('yyyy-mm: the month (Asia/Shanghai) the current round was submitted in'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(2000).optional().describe('the `cursor` of the previous page, as it was given'),
});

type QueueQuery = z.infer<typeof queueQuery>;

const exitQueueRowSchema = z
  .object({
    exitId: z.string(),
    listingId: z.string(),
    uscc: z.string(),
    subjectName: z.string(),
    district: z.string(),
    districtName: z.string(),
    department: z.string(),
    listType: z.enum(LIST_TYPES),
    listTypeLabel: z.string(),
    listedAt: z.string().optional(),
    status: z.enum(EXIT_STATUSES),
    statusLabel: z.string(),
    round: z.number().int().describe('the current round: 1, then one more per resubmission'),
    reason: z.enum(EXIT_REASONS),
    reasonLabel: z.string(),
    effectiveDate: z.string(),
    submittedAt: z.string().describe('when the current round was submitted'),
    waitingDays: z.number().int().describe("whole days (Asia/Shanghai) since the current round's submission"),
    reportId: z.string().optional().describe('the 信用中国 batch that reported it'),
  })
  .meta({ id: 'ExitQueueRow' });

/** The statuses an office sees without asking: the ones waiting for it. */
function defaultStatuses(scope: Scope): readonly ExitStatus[] {
  if (scope.role === 'district') return ['submitted'];
  if (scope.role === 'city') return ['reviewed'];
  return EXIT_STATUSES;
}

/** The partitions and filters a caller's query reads; a filter outside the caller's scope is a 403. */
export function queueViewOf(
  scope: Scope,
  query: QueueQuery,
): { source: ExitQueueSource; filter: ExitQueueFilter } {
  let district = query.district;
  let department = query.department === undefined ? undefined : normalizeDepartment(query.department);
  if (scope.role === 'district' || (scope.role === 'department' && scope.district !== undefined)) {
    if (district !== undefined && district !== scope.district)
      throw new ScopeViolationError(`区县 ${district} 超出当前令牌的数据范围`);
    district = scope.district;
  }
  if (scope.role === 'department') {
    if (department !== undefined && department !== scope.department)
      throw new ScopeViolationError(`部门令牌只能查看本部门（${scope.department}）提交的退出申报`);
    department = scope.department;
  }
  const statuses = query.status === undefined ? defaultStatuses(scope) : [query.status];
  const source: ExitQueueSource =
    district === undefined ? { kind: 'city', statuses } : { kind: 'district', district, statuses };
  const filter: ExitQueueFilter = {
    ...(department === undefined ? {} : { department }),
    ...(query.reason === undefined ? {} : { reason: query.reason as ExitReason }),
    ...(query.month === undefined ? {} : { month: query.month }),
  };
  return { source, filter };
}

function queueRow(exit: ExitSubmission, now: Date) {
  const round = currentExitRound(exit);
  const submittedAt = round?.submitted.at ?? exit.createdAt;
  return {
    exitId: exit.exitId,
    listingId: exit.listingId,
    uscc: exit.uscc,
    subjectName: exit.subjectName,
    district: exit.district,
    districtName: districtLabel(exit.district),
    department: exit.department,
    listType: exit.listType,
    listTypeLabel: LIST_TYPE_LABELS[exit.listType],
    ...(exit.listedAt === undefined ? {} : { listedAt: exit.listedAt }),
    status: exit.status,
    statusLabel: EXIT_STATUS_LABELS[exit.status],
    round: round?.round ?? exit.rounds.length,
    reason: round?.reason ?? 'other',
    reasonLabel: EXIT_REASON_LABELS[round?.reason ?? 'other'],
    effectiveDate: round?.effectiveDate ?? '',
    submittedAt,
    waitingDays: waitingDays(submittedAt, now),
    ...(exit.reportId === undefined ? {} : { reportId: exit.reportId }),
  };
}

/** Positions hold ISO instants and ids; base64url keeps the cursor one plain URL token. */
const encodePosition = (position: string) => Buffer.from(position, 'utf8').toString('base64url');
const decodePosition = (cursor: string) => Buffer.from(cursor, 'base64url').toString('utf8');

export const listExitsRoute = defineRoute<ExitsDeps, unknown, QueueQuery, unknown>({
  method: 'GET',
  path: '/exits',
  summary: "Exit submissions of the caller's queue, oldest first, with the days each has waited",
  tags: ['exits'],
  roles: ['city', 'district', 'department'],
  query: queueQuery,
  response: z
    .object({
      items: z.array(exitQueueRowSchema),
      cursor: z.string().optional().describe('opaque; absent after the last page'),
    })
    .meta({ id: 'ExitQueuePage' }),
  errors: [400, 401, 403],
  handle: async ({ query, scope, deps }) => {
    const view = queueViewOf(scope, query);
    const context: CursorContext = { route: `GET /exits?${JSON.stringify(view)}`, scope };
    const opened = await openCursor(deps.store, context, query.cursor);
    const after = opened === undefined ? undefined : decodePosition(opened);
    if (after === '') throw new InvalidCursorError();
    const page = await exitQueuePage(deps.store, view.source, view.filter, {
      limit: query.limit,
      ...(after === undefined ? {} : { after }),
    });
    const now = deps.store.clock.now();
    const cursor = await sealCursor(
      deps.store,
      context,
      page.next === undefined ? undefined : encodePosition(page.next),
    );
    return {
      items: page.exits.map((exit) => queueRow(exit, now)),
      ...(cursor === undefined ? {} : { cursor }),
    };
  },
});

export const exitQueueRoutes = [listExitsRoute];
