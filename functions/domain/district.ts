/**
 * The reporting units of Shijiazhuang (docs/codes.md, Districts) and how a row's district is decided: from the
 * district column when it names one, from the USCC only when the column is empty, otherwise unassigned for
 * the city office to place. Never a guess.
 */
import { type DistrictSource, UNASSIGNED_DISTRICT } from './model.ts';
import { compactText } from './text.ts';
import { usccDivision, validateUscc } from './uscc.ts';

export type DistrictKind = 'district' | 'county' | 'city' | 'zone';

export interface District {
  readonly code: string;
  /** The name used in reports and the 通报: 长安区, 高新区. */
  readonly name: string;
  /** The official name: 长安区, 石家庄高新技术产业开发区. */
  readonly fullName: string;
  /** What people write for short: 长安, 高新区. */
  readonly shortName: string;
  readonly kind: DistrictKind;
}

/**
 * The 22 county-level divisions (GB/T 2260) and the two zones the plan treats as units of the same rank.
 * The zone codes are the statistics bureau's.
 */
export const DISTRICTS = [
  { code: '130102', name: '长安区', fullName: '长安区', shortName: '长安', kind: 'district' },
  { code: '130104', name: '桥西区', fullName: '桥西区', shortName: '桥西', kind: 'district' },
  { code: '130105', name: '新华区', fullName: '新华区', shortName: '新华', kind: 'district' },
  { code: '130107', name: '井陉矿区', fullName: '井陉矿区', shortName: '矿区', kind: 'district' },
  { code: '130108', name: '裕华区', fullName: '裕华区', shortName: '裕华', kind: 'district' },
  { code: '130109', name: '藁城区', fullName: '藁城区', shortName: '藁城', kind: 'district' },
  { code: '130110', name: '鹿泉区', fullName: '鹿泉区', shortName: '鹿泉', kind: 'district' },
  { code: '130111', name: '栾城区', fullName: '栾城区', shortName: '栾城', kind: 'district' },
  { code: '130121', name: '井陉县', fullName: '井陉县', shortName: '井陉', kind: 'county' },
  { code: '130123', name: '正定县', fullName: '正定县', shortName: '正定', kind: 'county' },
  { code: '130125', name: '行唐县', fullName: '行唐县', shortName: '行唐', kind: 'county' },
  { code: '130126', name: '灵寿县', fullName: '灵寿县', shortName: '灵寿', kind: 'county' },
  { code: '130127', name: '高邑县', fullName: '高邑县', shortName: '高邑', kind: 'county' },
  { code: '130128', name: '深泽县', fullName: '深泽县', shortName: '深泽', kind: 'county' },
  { code: '130129', name: '赞皇县', fullName: '赞皇县', shortName: '赞皇', kind: 'county' },
  { code: '130130', name: '无极县', fullName: '无极县', shortName: '无极', kind: 'county' },
  { code: '130131', name: '平山县', fullName: '平山县', shortName: '平山', kind: 'county' },
  { code: '130132', name: '元氏县', fullName: '元氏县', shortName: '元氏', kind: 'county' },
  // A one-character name has no shorter form in use.
  { code: '130133', name: '赵县', fullName: '赵县', shortName: '赵县', kind: 'county' },
  { code: '130181', name: '辛集市', fullName: '辛集市', shortName: '辛集', kind: 'city' },
  { code: '130183', name: '晋州市', fullName: '晋州市', shortName: '晋州', kind: 'city' },
  { code: '130184', name: '新乐市', fullName: '新乐市', shortName: '新乐', kind: 'city' },
  { code: '130171', name: '高新区', fullName: '石家庄高新技术产业开发区', shortName: '高新区', kind: 'zone' },
  {
    code: '130172',
    name: '循环化工园区',
    fullName: '石家庄循环化工园区',
    shortName: '循环化工园区',
    kind: 'zone',
  },
] as const satisfies readonly District[];

export type DistrictCode = (typeof DISTRICTS)[number]['code'];

/**
 * Codes abolished in 2014 that still occur in old data: each maps to its successor, or to null where the
 * old division was split and has no single successor (130103, the old 桥东区).
 */
export const LEGACY_DISTRICT_CODES: Readonly<Record<string, DistrictCode | null>> = {
  '130182': '130109',
  '130185': '130110',
  '130124': '130111',
  '130103': null,
};

/** Names of the abolished divisions, for the column and for notes. */
const LEGACY_NAMES: Readonly<Record<string, string>> = {
  '130182': '藁城市',
  '130185': '鹿泉市',
  '130124': '栾城县',
  '130103': '桥东区',
};

/** Other ways the zones and 井陉矿区 are written. */
const EXTRA_NAMES: Readonly<Partial<Record<DistrictCode, readonly string[]>>> = {
  '130107': ['井陉矿'],
  '130171': ['高新技术产业开发区', '高新技术开发区', '高新开发区', '高新区管委会', '高新'],
  '130172': ['循环化工', '循环化工园区管委会'],
};

/** The city itself: the city bureau and the statistics code of its districts taken together. */
const CITY_CODES = new Set(['130100', '130101']);
const CITY_NAMES = new Set(['石家庄市', '石家庄', '市本级', '本级', '市直', '市级', '市辖区', '全市']);

/** Cell contents that mean "nothing written here". */
const BLANK = /^(-+|—+|\/|\\|无|暂无|空|未知|不详|null|none|n\/a|#n\/a)$/i;

/** Where a subject's district came from, without the manual placing done later by the city office. */
export type ResolvedDistrictSource = Exclude<DistrictSource, 'manual'>;

export interface DistrictResolution {
  /** A code of {@link DISTRICTS}, or UNASSIGNED_DISTRICT. */
  readonly code: string;
  readonly source: ResolvedDistrictSource;
  /** Chinese, for the receipt: why the code was mapped, inferred or left unassigned. */
  readonly note?: string;
}

export interface DistrictInput {
  /** The row's district column as written. */
  readonly column?: string;
  /** The row's USCC, used only when the column is empty. */
  readonly uscc?: string;
}

const BY_CODE: ReadonlyMap<string, District> = new Map(DISTRICTS.map((d) => [d.code, d]));

/** True for the 24 reporting units' codes; not for legacy codes, 130100 or UNASSIGNED. */
export function isDistrictCode(code: string): code is DistrictCode {
  return BY_CODE.has(code);
}

/** The report name of a reporting unit (长安区, 高新区), or undefined for any other code. */
export function districtName(code: string): string | undefined {
  return BY_CODE.get(code)?.name;
}

/**
 * Decides a row's district. The column wins whenever it holds anything: a current or legacy code (6 digits,
 * or a 9/12-digit statistics code starting with one), a full or short name, with or without 河北省/石家庄市,
 * spaces and brackets of either width; a value naming nothing known, the city itself (130100, 市本级) or the
 * split 130103 leaves the subject unassigned. Only an empty column falls back to the USCC's positions 3–8,
 * and only when they name a current or mapped district: the result is then marked as inferred.
 */
export function resolveDistrict(input: DistrictInput): DistrictResolution {
  const column = compactText(input.column ?? '');
  if (column !== '' && !BLANK.test(column)) return fromColumn(column);
  return fromUscc(input.uscc);
}

/** What a code or name denotes, before it becomes a resolution. */
type Match =
  | { readonly kind: 'district'; readonly code: DistrictCode }
  | { readonly kind: 'legacy'; readonly legacyCode: string; readonly successor: DistrictCode }
  | { readonly kind: 'split'; readonly legacyCode: string }
  | { readonly kind: 'city' };

function fromColumn(column: string): DistrictResolution {
  const whole = matchValue(column);
  if (whole !== undefined) return fromColumnMatch(whole, column);

  // 长安区（原桥东区）, 130102 长安区, 长安区、桥西区: the parts that name a unit must all name the same one.
  // The city (石家庄市（长安区）) and words we do not know (原桥东区) name none; the split 桥东区 does.
  const parts = column
    .split(/[()[\]【】〔〕<>《》、,，/|:;-]|(\d+)/)
    .filter((part) => part !== undefined && part !== '');
  if (parts.length > 1) {
    const named = new Map<string, string>();
    for (const part of parts) {
      const match = matchValue(part);
      if (match?.kind === 'district') named.set(match.code, districtName(match.code) ?? match.code);
      if (match?.kind === 'legacy')
        named.set(match.successor, districtName(match.successor) ?? match.successor);
      if (match?.kind === 'split') named.set(match.legacyCode, `原${LEGACY_NAMES[match.legacyCode]}`);
    }
    const [only, ...others] = [...named.keys()];
    if (only !== undefined && others.length === 0) {
      // The only key that is not a unit's code is a split legacy code.
      return isDistrictCode(only)
        ? { code: only, source: 'column' }
        : fromColumnMatch({ kind: 'split', legacyCode: only }, column);
    }
    if (others.length > 0) {
      return unassigned(
        `所属区县“${column}”同时指向${[...named.values()].join('、')}，无法确定，待市信用办指定`,
      );
    }
  }
  return unassigned(`所属区县“${column}”不是石家庄市的县（市、区）或园区，待市信用办指定`);
}

function fromColumnMatch(match: Match, column: string): DistrictResolution {
  switch (match.kind) {
    case 'district':
      return { code: match.code, source: 'column' };
    case 'legacy':
      return {
        code: match.successor,
        source: 'column',
        note: `所属区县“${column}”为2014年撤销的原${LEGACY_NAMES[match.legacyCode]}（${match.legacyCode}），按现行区划记为${districtName(match.successor)}（${match.successor}）`,
      };
    case 'split':
      return unassigned(
        `所属区县“${column}”为已撤销的原${LEGACY_NAMES[match.legacyCode]}（${match.legacyCode}），其辖区已拆分、没有唯一的继任区县，待市信用办指定`,
      );
    case 'city':
      return unassigned(`所属区县“${column}”为石家庄市本级，不是县（市、区）或园区，待市信用办指定`);
  }
}

function fromUscc(uscc: string | undefined): DistrictResolution {
  if (uscc === undefined || compactText(uscc) === '') {
    return unassigned('所属区县为空，也没有统一社会信用代码可供推定，待市信用办指定');
  }
  const validation = validateUscc(uscc);
  const division = validation.ok ? usccDivision(validation.uscc) : undefined;
  if (division === undefined) {
    return unassigned('所属区县为空，统一社会信用代码无效，无法推定，待市信用办指定');
  }
  const prefix = `所属区县为空，统一社会信用代码第3–8位（发证登记机关区划）为${division}`;
  const match = matchCode(division);
  switch (match?.kind) {
    case 'district':
      return {
        code: match.code,
        source: 'inferred-from-uscc',
        note: `${prefix}，推定为${districtName(match.code)}，请核实企业现所在区县`,
      };
    case 'legacy':
      return {
        code: match.successor,
        source: 'inferred-from-uscc',
        note: `${prefix}（原${LEGACY_NAMES[match.legacyCode]}），推定为${districtName(match.successor)}（${match.successor}），请核实企业现所在区县`,
      };
    case 'split':
      return unassigned(
        `${prefix}（已撤销的原${LEGACY_NAMES[match.legacyCode]}，没有唯一的继任区县），无法推定，待市信用办指定`,
      );
    case 'city':
      return unassigned(`${prefix}（石家庄市本级），无法推定区县，待市信用办指定`);
    case undefined:
      return unassigned(`${prefix}，不是石家庄市的县（市、区）或园区，无法推定，待市信用办指定`);
  }
}

function unassigned(note: string): DistrictResolution {
  return { code: UNASSIGNED_DISTRICT, source: 'unassigned', note };
}

/** The value as written, then without 河北省 / 石家庄市 in front. */
function matchValue(value: string): Match | undefined {
  const withoutPrefix = value.replace(/^(河北省|河北)?(石家庄市|石家庄)?/, '');
  for (const candidate of [value, withoutPrefix]) {
    // Only 河北省石家庄市 was written: the city, not a district.
    if (candidate === '') return value.includes('石家庄') ? { kind: 'city' } : undefined;
    const code = /^(\d{6})(\d{3}|\d{6})?$/.exec(candidate)?.[1];
    const match = code === undefined ? NAMES.get(candidate) : matchCode(code);
    if (match !== undefined) return match;
  }
  return undefined;
}

function matchCode(code: string): Match | undefined {
  if (isDistrictCode(code)) return { kind: 'district', code };
  if (CITY_CODES.has(code)) return { kind: 'city' };
  if (!Object.hasOwn(LEGACY_DISTRICT_CODES, code)) return undefined;
  const successor = LEGACY_DISTRICT_CODES[code];
  if (successor === null || successor === undefined) return { kind: 'split', legacyCode: code };
  return { kind: 'legacy', legacyCode: code, successor };
}

/** Every name a unit is known by, compacted, to what it denotes. */
const NAMES: ReadonlyMap<string, Match> = buildNameIndex();

function buildNameIndex(): Map<string, Match> {
  const index = new Map<string, Match>();
  for (const name of CITY_NAMES) index.set(name, { kind: 'city' });
  for (const [legacyCode, name] of Object.entries(LEGACY_NAMES)) {
    const match = matchCode(legacyCode);
    if (match !== undefined) index.set(name, match);
  }
  for (const d of DISTRICTS) {
    const match: Match = { kind: 'district', code: d.code };
    for (const name of [d.name, d.fullName, d.shortName, ...(EXTRA_NAMES[d.code] ?? [])]) {
      index.set(compactText(name), match);
    }
  }
  return index;
}
