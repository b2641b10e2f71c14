/**
 * A city push file for the benchmark, as the city's credit office exports it: GBK (GB18030) CSV with a
 * title row, a blank row and the usual header. Most rows list a new enterprise, a fifth list a subject
 * again under another case, and a few are bad on purpose (a wrong check character, a natural person's
 * ID) so that the error path is part of what is measured. Written as a stream: the file is never held
 * whole, whatever the row count.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import iconv from 'iconv-lite';
import { DISTRICTS } from '#domain/district.ts';
import { LIST_TYPE_LABELS, type ListType } from '#domain/model.ts';
import { orgCodeCheckChar, USCC_ALPHABET, uscc18CheckChar } from '#domain/uscc.ts';

export const PUSH_TITLE = '石家庄市严重失信主体名单（2026年11月）';
export const PUSH_HEADER = [
  '序号',
  '企业名称',
  '统一社会信用代码',
  '所属区县',
  '名单类型',
  '认定部门',
  '案号',
  '列入日期',
  '列入原因',
] as const;

/** One row in 100 carries a USCC whose check character is wrong. */
const BAD_CODE_EVERY = 100;
/** One row in 200 is a natural person's (a resident ID in the code column). */
const PERSON_EVERY = 200;
/** One row in 5 lists an earlier subject again. */
const REPEAT_EVERY = 5;
const LINES_PER_WRITE = 500;

const LIST_TYPES: readonly ListType[] = [
  'court-debtor',
  'tax-violation',
  'procurement-violation',
  'market-violation',
];

const REASONS: Record<ListType, string> = {
  'court-debtor': '有履行能力而拒不履行生效法律文书确定的义务',
  'tax-violation': '虚开增值税专用发票，偷税数额较大',
  'procurement-violation': '提供虚假材料谋取中标、成交',
  'market-violation': '被列入经营异常名录届满3年仍未履行相关义务',
  other: '其他严重失信行为',
};

export interface PushFileStats {
  readonly rows: number;
  readonly subjects: number;
  readonly repeatListings: number;
  readonly badCodes: number;
  readonly persons: number;
  readonly bytes: number;
}

/** The USCC of the benchmark's `index`-th enterprise: both check characters valid. */
export function benchUscc(index: number): string {
  const orgBody = String(index + 1).padStart(8, '0');
  const first17 = `91130100${orgBody}${orgCodeCheckChar(orgBody)}`;
  return `${first17}${uscc18CheckChar(first17)}`;
}

/** A USCC of the right shape whose position 18 does not check. */
function badUscc(index: number): string {
  const good = benchUscc(90_000_000 + index);
  const at = USCC_ALPHABET.indexOf(good.charAt(17));
  return `${good.slice(0, 17)}${USCC_ALPHABET.charAt((at + 1) % USCC_ALPHABET.length)}`;
}

/** An 18-digit resident ID that passes its own check (ISO 7064 MOD 11-2). */
function residentId(index: number): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const first17 = `1301021980${String((index % 12) + 1).padStart(2, '0')}${String((index % 28) + 1).padStart(2, '0')}${String(index % 1000).padStart(3, '0')}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17.charAt(i)) * (weights[i] ?? 0);
  return `${first17}${'10X98765432'.charAt(sum % 11)}`;
}

/**
 * How subjects are spread over districts: `cycle` gives consecutive subjects different districts (each
 * group of rows touches all of them), `blocks` gives runs of subjects one district, as a file sorted by
 * 所属区县 has.
 */
export const DISTRICT_ORDERS = ['cycle', 'blocks'] as const;
export type DistrictOrder = (typeof DISTRICT_ORDERS)[number];

function districtPicker(order: DistrictOrder, rows: number) {
  // about four rows in five bring a new subject
  const block = Math.max(1, Math.ceil((rows * 0.8) / DISTRICTS.length));
  return (subject: number) =>
    DISTRICTS[
      (order === 'cycle' ? subject : Math.floor(subject / block)) % DISTRICTS.length
    ] as (typeof DISTRICTS)[number];
}

function departmentFor(listType: ListType, districtName: string): string {
  switch (listType) {
    case 'court-debtor':
      return `${districtName}人民法院`;
    case 'tax-violation':
      return `国家税务总局石家庄市${districtName}税务局`;
    case 'procurement-violation':
      return '石家庄市财政局';
    default:
      return '石家庄市市场监督管理局';
  }
}

/** Unique per row: the row number is part of every case number. */
function caseNumberFor(listType: ListType, row: number): string {
  switch (listType) {
    case 'court-debtor':
      return `(2023)冀01执${row}号`;
    case 'tax-violation':
      return `石税稽罚〔2023〕${row}号`;
    case 'procurement-violation':
      return `石财采罚〔2023〕${row}号`;
    default:
      return `石市监罚〔2023〕${row}号`;
  }
}

function listedAtFor(row: number): string {
  const day = new Date(Date.UTC(2023, 0, 1) + (row % 365) * 86_400_000);
  return day.toISOString().slice(0, 10);
}

function enterpriseName(subject: number): string {
  return `石家庄某某商贸有限公司${String(subject + 1).padStart(5, '0')}`;
}

export type PushTally = { -readonly [K in keyof PushFileStats]: number };

/** The cells of one data row, in header order. */
function rowCells(row: number, name: string, code: string, districtName: string, listType: ListType) {
  return [
    String(row),
    name,
    code,
    districtName,
    LIST_TYPE_LABELS[listType],
    departmentFor(listType, districtName),
    caseNumberFor(listType, row),
    listedAtFor(row),
    REASONS[listType],
  ];
}

/** The data rows' cells, counting into `tally` what kind each row is. */
export function* pushRows(count: number, order: DistrictOrder, tally: PushTally): Generator<string[]> {
  const districtOf = districtPicker(order, count);
  for (let index = 0; index < count; index++) {
    const row = index + 1;
    const listType = LIST_TYPES[index % LIST_TYPES.length] as ListType;
    if (index % PERSON_EVERY === PERSON_EVERY / 2) {
      tally.persons++;
      yield rowCells(row, '张某某', residentId(index), districtOf(index).name, listType);
    } else if (index % BAD_CODE_EVERY === BAD_CODE_EVERY / 4) {
      tally.badCodes++;
      const name = `石家庄某某建材有限公司${String(row).padStart(5, '0')}`;
      yield rowCells(row, name, badUscc(index), districtOf(index).name, listType);
    } else if (index % REPEAT_EVERY === REPEAT_EVERY - 1 && tally.subjects > 0) {
      // 3·n stays below the number of subjects written so far (about 4·n), so no subject comes a third time
      const subject = Math.min(3 * tally.repeatListings, tally.subjects - 1);
      tally.repeatListings++;
      yield rowCells(row, enterpriseName(subject), benchUscc(subject), districtOf(subject).name, listType);
    } else {
      const subject = tally.subjects++;
      yield rowCells(row, enterpriseName(subject), benchUscc(subject), districtOf(subject).name, listType);
    }
  }
}

function csvCell(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

function csvLine(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** Writes a push file of `rows` data rows to `path` in GB18030. */
export async function writePushFile(
  path: string,
  rows: number,
  order: DistrictOrder = 'cycle',
): Promise<PushFileStats> {
  await mkdir(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  const tally: PushTally = { rows, subjects: 0, repeatListings: 0, badCodes: 0, persons: 0, bytes: 0 };
  const write = async (text: string) => {
    const bytes = iconv.encode(text, 'gb18030');
    tally.bytes += bytes.byteLength;
    if (!out.write(bytes)) await once(out, 'drain');
  };
  const finished = new Promise<void>((resolve, reject) => {
    out.once('finish', resolve);
    out.once('error', reject);
  });
  await write(`${csvLine([PUSH_TITLE])}\r\n${csvLine(PUSH_HEADER)}`);
  let pending: string[] = [];
  for (const cells of pushRows(rows, order, tally)) {
    pending.push(csvLine(cells));
    if (pending.length >= LINES_PER_WRITE) {
      await write(pending.join(''));
      pending = [];
    }
  }
  if (pending.length > 0) await write(pending.join(''));
  out.end();
  await finished;
  return tally;
}
