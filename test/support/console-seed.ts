/**
 * A small city for the console's browser tests, put in place as its clerks would: the month's enterprise
 * counts through the API with a city token from the local sign-in, and the city's push file copied into
 * the drop folder; then waits until the import has finished and triage has classified every listing.
 */
import { DISTRICTS } from '#domain/district.ts';
import { LIST_TYPE_LABELS } from '#domain/model.ts';
import { PUSH_HEADER } from '../../bench/push-file.ts';
import { makeUscc, utf8Csv } from './files.ts';

export const COURT = '长安区人民法院';
export const TAX = '国家税务总局石家庄市桥西区税务局';

export interface PushRow {
  readonly serial: number;
  readonly district: string;
  readonly division: string;
  readonly department: string;
  readonly listType: 'court-debtor' | 'tax-violation';
}

/** The subjects the seed lists: three of the court in 长安区 (the department's), others elsewhere. */
export const SEED_ROWS: readonly PushRow[] = [
  { serial: 101, district: '长安区', division: '130102', department: COURT, listType: 'court-debtor' },
  { serial: 102, district: '长安区', division: '130102', department: COURT, listType: 'court-debtor' },
  { serial: 103, district: '长安区', division: '130102', department: COURT, listType: 'court-debtor' },
  { serial: 201, district: '桥西区', division: '130104', department: TAX, listType: 'tax-violation' },
  { serial: 202, district: '桥西区', division: '130104', department: TAX, listType: 'tax-violation' },
  { serial: 301, district: '新华区', division: '130105', department: TAX, listType: 'tax-violation' },
];

export function usccOf(row: PushRow): string {
  return makeUscc(row.serial, { division: row.division });
}

export function subjectName(row: PushRow): string {
  return `石家庄控制台测试商贸有限公司${row.serial}`;
}

/** The city's push as the national centre's export reads: UTF-8 with a BOM, a title row, the header. */
export function pushFile(rows: readonly PushRow[], listedAt = '2024-03-15'): Buffer {
  return utf8Csv(
    [
      ['石家庄市严重失信主体名单'],
      [...PUSH_HEADER],
      ...rows.map((row, index) => [
        String(index + 1),
        subjectName(row),
        usccOf(row),
        row.district,
        LIST_TYPE_LABELS[row.listType],
        row.department,
        `(2024)冀01执${row.serial}号`,
        listedAt,
        row.listType === 'court-debtor' ? '有履行能力而拒不履行生效法律文书确定的义务' : '虚开增值税专用发票',
      ]),
    ],
    { bom: true },
  );
}

/** The month just ended, in Asia/Shanghai: the one the evaluation page opens on. */
export function lastMonth(now = new Date()): string {
  const [year, month] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' })
    .format(now)
    .split('-')
    .map(Number);
  const previous = new Date(Date.UTC(year ?? 2026, (month ?? 1) - 2, 1));
  return previous.toISOString().slice(0, 7);
}

export interface Office {
  readonly role: 'city' | 'district' | 'department' | 'consumer';
  readonly district?: string;
  readonly department?: string;
}

/** A token as the sign-in page gets it. */
export async function localToken(baseUrl: string, office: Office): Promise<string> {
  const response = await fetch(`${baseUrl}/local/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(office),
  });
  if (!response.ok) throw new Error(`POST /local/token: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

/** One API call with an office's token; throws on anything but 2xx. */
export async function callApi<T = Record<string, unknown>>(
  baseUrl: string,
  office: Office,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${await localToken(baseUrl, office)}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text === '' ? {} : JSON.parse(text)) as T;
}

/** An exit of the first listing of `uscc`, submitted through the API by `department` (履行完毕, with evidence). */
export async function submitExitThroughApi(
  baseUrl: string,
  department: Office,
  uscc: string,
): Promise<string> {
  const subject = await callApi<{ listings: { listingId: string }[] }>(
    baseUrl,
    department,
    'GET',
    `/subjects/${uscc}`,
  );
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  const exit = await callApi<{ exitId: string }>(baseUrl, department, 'POST', '/exits', {
    listingId: subject.listings[0]?.listingId,
    reason: 'obligations-performed',
    effectiveDate: today,
    evidence: [{ kind: 'payment-proof', ref: '（2024）冀01执恢101号结案通知书' }],
    publicationRevoked: { system: '中国执行信息公开网', date: today },
  });
  return exit.exitId;
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 400));
  }
}

interface ImportItem {
  readonly importId: string;
  readonly fileName: string;
  readonly status: string;
}

/** The import of a file once it has settled (not queued or running). */
export async function settledImport(baseUrl: string, fileName: string): Promise<ImportItem> {
  return waitFor(`the import of ${fileName}`, async () => {
    const page = await callApi<{ items: ImportItem[] }>(
      baseUrl,
      { role: 'city' },
      'GET',
      '/imports?limit=50',
    );
    const item = page.items.find((candidate) => candidate.fileName === fileName);
    return item === undefined || item.status === 'queued' || item.status === 'running' ? undefined : item;
  });
}

/** Every listing of the subject classified by triage. */
export async function classified(baseUrl: string, uscc: string): Promise<void> {
  await waitFor(`the triage of ${uscc}`, async () => {
    const subject = await callApi<{ listings: { classification?: unknown }[] }>(
      baseUrl,
      { role: 'city' },
      'GET',
      `/subjects/${uscc}`,
    );
    return subject.listings.length > 0 && subject.listings.every((l) => l.classification !== undefined)
      ? true
      : undefined;
  });
}

export interface SeedDrop {
  drop(source: string, name: string, content: Buffer | string): Promise<string>;
}

/**
 * The month's enterprise counts for all 24 units, the seed push dropped and imported, every listing
 * triaged. Answers the month the counts are for.
 */
export async function seedCity(baseUrl: string, runtime: SeedDrop): Promise<{ month: string }> {
  const month = lastMonth();
  const counts = Object.fromEntries(DISTRICTS.map((unit, index) => [unit.code, 1_000 + index * 150]));
  await callApi(baseUrl, { role: 'city' }, 'PUT', `/enterprise-counts/${month}`, {
    counts,
    reason: '统计局月度数',
  });
  const fileName = '石家庄市严重失信主体名单-种子.csv';
  await runtime.drop('push', fileName, pushFile(SEED_ROWS));
  const seeded = await settledImport(baseUrl, fileName);
  if (seeded.status !== 'succeeded') throw new Error(`the seed push ended ${seeded.status}`);
  for (const row of SEED_ROWS) await classified(baseUrl, usccOf(row));
  return { month };
}
