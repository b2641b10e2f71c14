/**
 * The joint-punishment check's codes in and answers out, in the browser: codes read from pasted text or
 * a .txt/.csv file (UTF-8, or GBK as Excel saves a plain CSV on a Chinese Windows), and the answers as a
 * CSV with a UTF-8 BOM so Excel opens the Chinese correctly (the API answers JSON only).
 */
import { toCsv, withBom } from '../../../../functions/shared/csv.ts';
import { formatDate } from '../../format.ts';
import { listPlaceLabel } from './labels.ts';
import type { CheckAnswer } from './types.ts';

/** What `POST /checks` takes at once (MAX_CHECK_CODES in functions/api/routes/checks.ts). */
export const CHECK_BATCH = 1_000;
/** What one paste or file may hold: ten requests in a row, a few seconds. */
export const MAX_CODES = 10_000;

/** A file's text: UTF-8 when it is valid UTF-8, else GB18030 (a superset of GBK). */
export function decodeCodesFile(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/**
 * The codes of a text, in order, each once: one or more per line, between commas, 顿号, tabs, semicolons or
 * spaces, quotes and a BOM stripped. Cells with Chinese in them (a header such as 统一社会信用代码, a
 * company name beside the code) are no codes and are left out.
 */
export function parseCodes(text: string): string[] {
  const seen = new Set<string>();
  for (const cell of text.replace(/^\uFEFF/, '').split(/[\r\n,，;；、\t \u3000]+/)) {
    const code = cell.trim().replace(/^["'“”]+|["'“”]+$/g, '');
    if (code === '' || /[\u3400-\u9fff]/.test(code)) continue;
    seen.add(code);
  }
  return [...seen];
}

const HEADER = [
  '核查代码',
  '统一社会信用代码',
  '核查结果',
  '名单类型',
  '认定部门',
  '列入日期',
  '所在清单',
  '惩戒措施',
  '说明',
];

export function resultLabel(answer: CheckAnswer): string {
  if (answer.error !== undefined) return '无法核查';
  return answer.listed ? '在列' : '未列入';
}

function answerCells(answer: CheckAnswer): string[] {
  const join = (values: readonly string[]) => values.join('；');
  const { listings } = answer;
  return [
    answer.code,
    answer.uscc ?? '',
    resultLabel(answer),
    join(listings.map((listing) => listing.listTypeLabel)),
    join(listings.map((listing) => listing.department)),
    join(listings.map((listing) => (listing.listedAt === undefined ? '' : formatDate(listing.listedAt)))),
    join(listings.map((listing) => listPlaceLabel(listing.list))),
    join(listings.flatMap((listing) => listing.measures.map((measure) => measure.label))),
    answer.error?.message ??
      (answer.candidates === undefined ? '' : `对应多个主体：${join(answer.candidates)}`),
  ];
}

/**
 * The answers as CSV text with a BOM and CRLF lines, one line per code asked, written as the server's
 * exports are: every cell neutralised against formulas, as a code or a name may start with one.
 */
export function checksCsv(answers: readonly CheckAnswer[]): string {
  return withBom(toCsv([HEADER, ...answers.map(answerCells)], { neutralize: true }));
}
