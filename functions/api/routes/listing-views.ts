/**
 * `GET /subjects`: the listing views. Active listings filtered by district, list, list type, track,
 * department, overdue and listed dates, in signed cursor pages; each scope sees only its own. With
 * `format=csv|xlsx` the same rows, every page of them, as the 台账 a clerk opens in Excel.
 */
import * as z from 'zod';
import { DISTRICTS } from '#domain/district.ts';
import {
  districtLabel,
  LIST_PLACE_LABELS,
  LIST_PLACES,
  type ListingRow,
  listingRow,
} from '#domain/listing-row.ts';
import { LIST_TYPES, type Listing, shanghaiDate, UNASSIGNED_DISTRICT } from '#domain/model.ts';
import { normalizeDepartment, type Scope } from '#shared/auth.ts';
import { AppError, InvalidCursorError, ScopeViolationError } from '#shared/errors.ts';
import { type CursorContext, openCursor, sealCursor } from '#shared/http/cursor.ts';
import { defineRoute, type RawResponse } from '#shared/http/route.ts';
import { type LedgerFormat, ledgerFile } from '#shared/listing-ledger.ts';
import { encodeListingId } from '#storage/keys.ts';
import {
  allListings,
  type ListingFilter,
  type ListingQuery,
  type ListingSource,
  listingPage,
  MalformedPositionError,
  subjectNames,
} from '#storage/listing-query.ts';
import type { ApiDeps } from '../deps.ts';
import { attachmentDisposition } from '../download-name.ts';

/**
 * Rows a ledger holds at most. The file goes back in the Lambda's answer, which holds at most 6 MB:
 * an XLSX line takes about 100 bytes there (base64), so 20 000 fit; a CSV line about 440 bytes, so a
 * CSV stops near 12 000 lines at `MAX_LEDGER_BYTES`. Larger views are narrowed by a filter.
 */
export const MAX_LEDGER_ROWS = 20_000;

export class LedgerTooLargeError extends AppError {
  constructor(message: string) {
    super(400, 'ledger-too-large', message);
    this.name = 'LedgerTooLargeError';
  }
}

/** The districts a view of the whole city walks, in report order. */
const EVERY_DISTRICT: readonly string[] = [
  ...DISTRICTS.map((district) => district.code),
  UNASSIGNED_DISTRICT,
];

const DISTRICT_VALUES: [string, ...string[]] = [
  UNASSIGNED_DISTRICT,
  ...DISTRICTS.map((district) => district.code),
];

const isoDate = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, '日期应为 yyyy-mm-dd')
  .describe('yyyy-mm-dd, inclusive');

const viewQuery = z
  .object({
    district: z
      .enum(DISTRICT_VALUES, { error: '区县（district）须为石家庄市的区县代码或 UNASSIGNED' })
      .optional()
      .describe('district code, or UNASSIGNED (a district office: its own only)'),
    list: z
      .enum(LIST_PLACES, { error: '清单（list）须为 exit、assist、constrain 或 unclassified' })
      .optional()
      .describe('the list the listing is on (the override prevails), or unclassified'),
    listType: z
      .enum(LIST_TYPES, { error: `名单类型（listType）须为 ${LIST_TYPES.join('、')} 之一` })
      .optional(),
    track: z
      .string()
      .regex(/^[a-z0-9-]{1,64}$/, '路径（track）须为路径代码，如 repair-guidance')
      .optional()
      .describe('the track (the override prevails)'),
    department: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .describe('the designating department (a department: its own only)'),
    overdue: z
      .enum(['true', 'false'], { error: '是否逾期（overdue）须为 true 或 false' })
      .optional()
      .describe('true: no plan, or its deadline before today (Asia/Shanghai); false: a plan not yet due'),
    listedFrom: isoDate.optional(),
    listedTo: isoDate.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(4000).optional().describe('the `cursor` of the previous page, as it was given'),
    format: z
      .enum(['json', 'csv', 'xlsx'], { error: '格式（format）须为 json、csv 或 xlsx' })
      .default('json')
      .describe(
        `csv or xlsx: every row (at most ${MAX_LEDGER_ROWS}) as a 台账 file with Chinese headers; limit and cursor are ignored`,
      ),
  })
  .refine(
    (query) =>
      query.listedFrom === undefined || query.listedTo === undefined || query.listedFrom <= query.listedTo,
    { message: '列入日期起（listedFrom）不能晚于止（listedTo）', path: ['listedFrom'] },
  );

type ViewQuery = z.infer<typeof viewQuery>;

const listingRowSchema = z
  .object({
    listingId: z.string(),
    uscc: z.string(),
    name: z.string().describe("the subject's name"),
    district: z.string(),
    districtName: z.string(),
    listType: z.enum(LIST_TYPES),
    listTypeLabel: z.string(),
    department: z.string(),
    listedAt: z.string().optional(),
    status: z.string(),
    statusLabel: z.string(),
    list: z.enum(LIST_PLACES),
    listLabel: z.string(),
    track: z.string().optional(),
    trackLabel: z.string().optional(),
    overridden: z.boolean(),
    reason: z.string().optional().describe("the rule's reason, Chinese"),
    overrideReason: z.string().optional().describe("the department's reason, when it overrode the rule"),
    planDeadline: z.string().optional(),
    overdue: z.boolean().describe('no plan, or its deadline before today (Asia/Shanghai)'),
  })
  .meta({ id: 'ListingRow' });

/** The view a caller may have: which index partitions are read, and the filters on them. */
export function viewOf(scope: Scope, query: ViewQuery): { source: ListingSource; filter: ListingFilter } {
  const department = query.department === undefined ? undefined : normalizeDepartment(query.department);
  const filter: ListingFilter = {
    ...(query.list === undefined ? {} : { list: query.list }),
    ...(query.listType === undefined ? {} : { listType: query.listType }),
    ...(query.track === undefined ? {} : { track: query.track }),
    ...(query.overdue === undefined ? {} : { overdue: query.overdue === 'true' }),
    ...(query.listedFrom === undefined ? {} : { listedFrom: query.listedFrom }),
    ...(query.listedTo === undefined ? {} : { listedTo: query.listedTo }),
  };
  let district = query.district;
  let owner = department;
  if (scope.role === 'district') {
    if (district !== undefined && district !== scope.district)
      throw new ScopeViolationError(`区县 ${district} 超出当前令牌的数据范围`);
    district = scope.district;
  }
  if (scope.role === 'department') {
    if (owner !== undefined && owner !== scope.department)
      throw new ScopeViolationError(`部门令牌只能查看本部门（${scope.department}）认定的名单`);
    if (scope.district !== undefined && district !== undefined && district !== scope.district)
      throw new ScopeViolationError(`区县 ${district} 超出当前令牌的数据范围`);
    owner = scope.department;
    district = scope.district ?? district;
  }
  if (owner !== undefined) {
    return {
      source: { kind: 'department', department: owner },
      filter: { ...filter, ...(district === undefined ? {} : { district }) },
    };
  }
  return {
    source: { kind: 'districts', districts: district === undefined ? EVERY_DISTRICT : [district] },
    filter,
  };
}

async function rowsOf(deps: ApiDeps, listings: readonly Listing[], today: string): Promise<ListingRow[]> {
  const names = await subjectNames(
    deps.store,
    listings.map((listing) => listing.uscc),
  );
  return listings.map((listing) =>
    listingRow(
      listing,
      names.get(listing.uscc) ?? '',
      encodeListingId(listing.uscc, listing.listType, listing.key),
      today,
    ),
  );
}

export const listSubjectsRoute = defineRoute<ApiDeps, unknown, ViewQuery, unknown>({
  method: 'GET',
  path: '/subjects',
  summary:
    'Active listings of the scope, filtered, in cursor pages; format=csv|xlsx gives every row as a 台账 file',
  tags: ['subjects'],
  roles: ['city', 'district', 'department'],
  query: viewQuery,
  response: z
    .object({
      items: z.array(listingRowSchema),
      cursor: z.string().optional().describe('opaque; absent after the last page (a last page may be empty)'),
    })
    .meta({ id: 'ListingPage' }),
  responseContentTypes: [
    'application/json',
    'text/csv',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ],
  errors: [400, 401, 403],
  handle: async ({ query, scope, deps }) => {
    const view = viewOf(scope, query);
    const listingQuery: ListingQuery = { ...view, today: shanghaiDate(deps.store.clock.now()) };
    if (query.format !== 'json') return ledger(deps, listingQuery, query.format);
    const context: CursorContext = { route: `GET /subjects?${JSON.stringify(view)}`, scope };
    const after = await openCursor(deps.store, context, query.cursor);
    const page = await readPage(deps, listingQuery, query.limit, after);
    const cursor = await sealCursor(deps.store, context, page.next);
    return {
      items: await rowsOf(deps, page.listings, listingQuery.today),
      ...(cursor === undefined ? {} : { cursor }),
    };
  },
});

async function readPage(deps: ApiDeps, query: ListingQuery, limit: number, after: string | undefined) {
  try {
    return await listingPage(deps.store, query, { limit, ...(after === undefined ? {} : { after }) });
  } catch (error) {
    // signed by us, so only a cursor of an older position format can land here
    if (error instanceof MalformedPositionError) throw new InvalidCursorError();
    throw error;
  }
}

async function ledger(deps: ApiDeps, query: ListingQuery, format: LedgerFormat): Promise<RawResponse> {
  const { listings, complete } = await allListings(deps.store, query, MAX_LEDGER_ROWS);
  if (!complete)
    throw new LedgerTooLargeError(
      `台账超过 ${MAX_LEDGER_ROWS} 行，请按区县、清单、名单类型或列入日期缩小筛选范围后分别导出`,
    );
  const rows = await rowsOf(deps, listings, query.today);
  const file = await ledgerFile(rows, format);
  if (file === undefined)
    throw new LedgerTooLargeError(
      format === 'csv'
        ? `CSV 台账过大（${rows.length} 行），请改用 xlsx 格式，或缩小筛选范围后分别导出`
        : `台账文件过大（${rows.length} 行），请缩小筛选范围后分别导出`,
    );
  const title = ledgerTitle(query);
  return {
    raw: true,
    statusCode: 200,
    headers: {
      'content-type': file.contentType,
      'content-disposition': attachmentDisposition(`${title.chinese}.${format}`, `${title.ascii}.${format}`),
    },
    body: file.body,
    isBase64Encoded: file.isBase64Encoded,
  };
}

/** Characters no file name on Windows may hold. */
const UNSAFE_IN_FILE_NAMES = /[\\/:*?"<>|\p{Cc}]/gu;

/** `三类清单台账-长安区-约束清单-2026-05-10` and its ASCII twin `ledger-130102-constrain-2026-05-10`. */
function ledgerTitle(query: ListingQuery): { chinese: string; ascii: string } {
  const source = query.source;
  const district =
    source.kind === 'department'
      ? query.filter.district
      : source.districts.length === 1
        ? source.districts[0]
        : undefined;
  const chinese = [
    '三类清单台账',
    district === undefined ? '全市' : districtLabel(district),
    ...(source.kind === 'department' ? [source.department] : []),
    ...(query.filter.list === undefined ? [] : [LIST_PLACE_LABELS[query.filter.list]]),
    query.today,
  ];
  const ascii = [
    'ledger',
    district ?? 'city',
    ...(query.filter.list === undefined ? [] : [query.filter.list]),
    query.today,
  ];
  return { chinese: chinese.join('-').replace(UNSAFE_IN_FILE_NAMES, '_'), ascii: ascii.join('-') };
}
