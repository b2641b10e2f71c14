/**
 * Registry values as the registry and the departments write them: the registration status with its codes
 * and variants, and the yes/no and bankruptcy flags kept apart from it (docs/codes.md, Registration status and Flags).
 */
import type { RegistrationStatus } from './model.ts';
import { compactText, toHalfWidth } from './text.ts';

export interface NormalizedRegistrationStatus {
  readonly status: RegistrationStatus;
  /** Where a moved-out subject went, as written (北京市). */
  readonly movedTo?: string;
}

export interface NormalizedBankruptcy {
  readonly bankruptcy: boolean;
  /** The stage as written, e.g. 破产重整; only when `bankruptcy` is true and a stage was given. */
  readonly stage?: string;
}

/** The registry's label for each status: normalising a label gives the status back. */
export const REGISTRATION_STATUS_LABELS: Readonly<Record<RegistrationStatus, string>> = {
  active: '存续',
  revoked: '吊销，未注销',
  'revoked-deregistered': '吊销，已注销',
  deregistered: '注销',
  cancelled: '撤销',
  'moved-out': '迁出',
  suspended: '歇业',
  liquidating: '清算中',
  other: '其他',
};

/** Registry codes of the national enterprise credit information system. */
const STATUS_CODES: ReadonlyMap<string, RegistrationStatus> = new Map([
  ['1', 'active'],
  ['2', 'revoked'],
  ['3', 'revoked-deregistered'],
  ['4', 'deregistered'],
  ['5', 'cancelled'],
  ['6', 'moved-out'],
  ['9', 'other'],
]);

/**
 * Label variants, compared after removing whitespace and punctuation, so 吊销，未注销 / 吊销,未注销 /
 * 吊销（未注销） are one key. Active labels may be combined: 存续（在营、开业、在册）.
 */
const STATUS_PATTERNS: readonly (readonly [RegExp, RegistrationStatus])[] = [
  [/^(存续|在营|开业|在册|在业|正常)+$/, 'active'],
  [/^(已)?吊销(营业执照)?(但?未注销)?$/, 'revoked'],
  [/^(已)?吊销(营业执照)?(并|且|后)?已?注销$/, 'revoked-deregistered'],
  [/^(已)?注销$/, 'deregistered'],
  [/^(已)?撤销(登记)?$/, 'cancelled'],
  [/^(已)?迁出$/, 'moved-out'],
  [/^(已)?(歇业|停业)$/, 'suspended'],
  [/^(正在)?清算中?$/, 'liquidating'],
  [/^(其他|其它)$/, 'other'],
];

/** Punctuation that carries no meaning in a status label. */
const LABEL_PUNCTUATION = /[\s,，、.。;；:：()（）[\]【】'"“”‘’]/g;

/** 迁出（迁往北京市）, 迁出：北京市, 迁往北京市: the destination after the verb. */
const MOVED_OUT = /^(?:已)?(?:迁出(?:[(:]?\s*(?:迁往|迁至|迁入|至|到)?\s*)|迁往|迁至)(.*?)\)?$/;

/**
 * Maps a registry status (code 1–6 or 9, the label, or a variant) to a {@link RegistrationStatus}, with
 * the destination of a move when one is written. Full/half-width, brackets, commas and whitespace are
 * unified first. Unknown values give undefined: the caller reports them, nothing is guessed.
 */
export function normalizeRegistrationStatus(
  raw: string | number | null | undefined,
): NormalizedRegistrationStatus | undefined {
  if (raw === null || raw === undefined) return undefined;
  const text = toHalfWidth(String(raw));
  const byCode = STATUS_CODES.get(text);
  if (byCode !== undefined) return { status: byCode };

  const moved = MOVED_OUT.exec(text);
  if (moved !== null) {
    const movedTo = cleanDestination(moved[1] ?? '');
    return movedTo === '' ? { status: 'moved-out' } : { status: 'moved-out', movedTo };
  }

  const key = text.replace(LABEL_PUNCTUATION, '');
  const found = STATUS_PATTERNS.find(([pattern]) => pattern.test(key));
  return found === undefined ? undefined : { status: found[1] };
}

/**
 * The label to write for a status; for moved-out with a destination, `迁出（迁往…）`. Normalising the
 * label gives back the same status and destination.
 */
export function registrationStatusLabel(status: RegistrationStatus, movedTo?: string): string {
  const label = REGISTRATION_STATUS_LABELS[status];
  return status === 'moved-out' && movedTo !== undefined && movedTo !== ''
    ? `${label}（迁往${movedTo}）`
    : label;
}

function cleanDestination(rest: string): string {
  return toHalfWidth(rest.replace(/^[\s(:]+|[\s)]+$/g, '').replace(/^(迁往|迁至|迁入|至|到)/, ''));
}

const YES = new Set(['是', 'y', 'yes', '1', 'true', 't', '有', '已', '√', '✓', '✔', '对']);
const NO = new Set(['否', 'n', 'no', '0', 'false', 'f', '无', '未', '×', '✗', '✘', '不是', '没有', '非']);

/**
 * Reads a yes/no cell: 是/否, Y/N, yes/no, 1/0, true/false, 有/无, 已/未, √/× in any case and width.
 * Undefined for an empty or unrecognised value, so that "not given" never reads as "no".
 */
export function parseYesNo(raw: string | number | boolean | null | undefined): boolean | undefined {
  if (raw === null || raw === undefined) return undefined;
  if (typeof raw === 'boolean') return raw;
  const key = compactText(String(raw)).toLowerCase();
  if (YES.has(key)) return true;
  if (NO.has(key)) return false;
  return undefined;
}

/** Words that name a stage of bankruptcy proceedings; 和解 alone is too often an enforcement settlement. */
const BANKRUPTCY_STAGE = /破产|重整/;
const NOT_BANKRUPT = /^(未|无|非|不|没有)(破产|进入破产|处于破产)/;

/**
 * Reads a bankruptcy cell: yes/no as {@link parseYesNo}, or a stage (破产重整, 破产清算, 破产和解, 重整) which
 * means yes and is kept as written; 是（破产重整） keeps the bracketed stage. Undefined when unrecognised.
 */
export function normalizeBankruptcy(
  raw: string | number | boolean | null | undefined,
): NormalizedBankruptcy | undefined {
  const yesNo = parseYesNo(raw);
  if (yesNo !== undefined) return { bankruptcy: yesNo };
  if (typeof raw !== 'string') return undefined;
  const text = toHalfWidth(raw);
  const key = compactText(text);
  if (NOT_BANKRUPT.test(key)) return { bankruptcy: false };
  if (!BANKRUPTCY_STAGE.test(key)) return undefined;
  const inner = /^(?:是|已|有)\s*\((.+)\)$/.exec(text)?.[1];
  return { bankruptcy: true, stage: toHalfWidth(inner ?? text) };
}
