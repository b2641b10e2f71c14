/**
 * One listed subject of the demo city, made from the seeded stream: a valid USCC, a company name of its
 * reporting unit, a list type with its designating department, case number and reason, and the
 * registry's view of the subject.
 */
import type { DISTRICTS } from '#domain/district.ts';
import type { ListType } from '#domain/model.ts';
import { orgCodeCheckChar, uscc18CheckChar } from '#domain/uscc.ts';
import { between, pad2, pick, type Random, shanghaiInstant } from './random.ts';
import type { DemoListing } from './types.ts';

type District = (typeof DISTRICTS)[number];

/** A valid USCC (both check characters) of a registration kind, division and organisation number. */
export function makeUscc(kind: '91' | '92' | '93', division: string, orgNumber: number): string {
  const body = String(orgNumber).padStart(8, '0');
  const first17 = `${kind}${division}${body}${orgCodeCheckChar(body)}`;
  return first17 + uscc18CheckChar(first17);
}

const NAME_WORDS = [
  '恒泰',
  '华信',
  '宏达',
  '鑫源',
  '盛世',
  '永兴',
  '金诚',
  '德润',
  '瑞丰',
  '天成',
  '众合',
  '博远',
  '中冀',
  '冀润',
  '通达',
  '安泰',
  '嘉禾',
  '昌盛',
  '润泽',
  '佳华',
  '广源',
  '新禾',
  '汇丰',
  '裕民',
];
const TRADES = [
  '商贸',
  '建筑工程',
  '机械设备',
  '物流',
  '房地产开发',
  '医药',
  '食品',
  '纺织',
  '化工',
  '建材',
  '装饰工程',
  '信息技术',
  '农业科技',
  '汽车销售',
  '餐饮管理',
  '环保科技',
];

function companyName(random: Random, district: District): string {
  const place = district.kind === 'zone' ? '石家庄' : `石家庄${district.shortName}`;
  const suffix = random() < 0.2 ? '股份有限公司' : '有限公司';
  return `${place}${pick(random, NAME_WORDS)}${pick(random, TRADES)}${suffix}`;
}

/** The four list types of the demo, with the share of listings each gets. */
const DEMO_LIST_TYPES: readonly (readonly [ListType, number])[] = [
  ['court-debtor', 0.55],
  ['tax-violation', 0.2],
  ['market-violation', 0.17],
  ['procurement-violation', 0.08],
];

function listTypeOf(random: Random): ListType {
  let draw = random();
  for (const [listType, share] of DEMO_LIST_TYPES) {
    if (draw < share) return listType;
    draw -= share;
  }
  return 'court-debtor';
}

/** The designating department of a list type in a reporting unit (谁认定). */
export function departmentOf(listType: ListType, district: District): string {
  switch (listType) {
    case 'court-debtor':
      return district.kind === 'zone' ? '石家庄市中级人民法院' : `石家庄市${district.name}人民法院`;
    case 'tax-violation':
      return `国家税务总局石家庄市${district.kind === 'zone' ? district.fullName.replace('石家庄', '') : district.name}税务局`;
    case 'market-violation':
      return `石家庄市${district.kind === 'zone' ? district.shortName : district.name}市场监督管理局`;
    default:
      return '石家庄市财政局';
  }
}

const REASONS: Readonly<Record<ListType, readonly string[]>> = {
  'court-debtor': [
    '有履行能力而拒不履行生效法律文书确定义务',
    '违反财产报告制度',
    '以虚假诉讼、仲裁等方式规避执行',
  ],
  'tax-violation': ['虚开增值税专用发票', '逃避追缴欠税', '骗取出口退税'],
  'market-violation': ['提供虚假材料骗取市场主体登记', '生产销售不符合安全标准的食品', '严重违法失信经营'],
  'procurement-violation': ['提供虚假材料谋取中标、成交', '与采购人恶意串通'],
  other: ['其他严重失信行为'],
};

function caseKey(random: Random, listType: ListType, district: string, year: string, serial: number): string {
  switch (listType) {
    case 'court-debtor':
      return `(${year})冀${district.slice(2)}执${serial}号`;
    case 'tax-violation':
      return `石税稽罚〔${year}〕${serial}号`;
    case 'market-violation':
      return `石市监处罚〔${year}〕${between(random, 1, 9)}${serial}号`;
    default:
      return `石财采处〔${year}〕${serial}号`;
  }
}

/** The registry's view of a subject: mostly active, some gone (deregistered, revoked, moved out). */
function registryOf(random: Random): Pick<DemoListing, 'registrationStatus' | 'movedTo' | 'flags'> {
  const draw = random();
  if (draw < 0.62) return { registrationStatus: 'active', flags: {} };
  if (draw < 0.72) return { registrationStatus: 'active', flags: { lostContact: true, abnormal: true } };
  if (draw < 0.75) return { registrationStatus: 'suspended', flags: {} };
  if (draw < 0.86) return { registrationStatus: 'deregistered', flags: {} };
  if (draw < 0.94) return { registrationStatus: 'revoked', flags: {} };
  return {
    registrationStatus: 'moved-out',
    movedTo: pick(random, ['保定市', '邢台市', '衡水市', '北京市']),
    flags: {},
  };
}

/**
 * A maker of listings that draws each from `random`, placed by `placeDistrict`, with organisation numbers
 * never used twice and case serials that rise; `first` marks the campaign's first month (its stock).
 */
export function listingMaker(random: Random, placeDistrict: () => District) {
  const usedOrgNumbers = new Set<number>();
  let serial = 100;
  return (month: string, first: boolean): DemoListing => {
    const district = placeDistrict();
    let orgNumber = between(random, 10_000_000, 99_999_999);
    while (usedOrgNumbers.has(orgNumber)) orgNumber = between(random, 10_000_000, 99_999_999);
    usedOrgNumbers.add(orgNumber);
    const kind = random() < 0.94 ? '91' : random() < 0.8 ? '92' : '93';
    const division = district.kind === 'zone' ? '130100' : district.code;
    const listType = listTypeOf(random);
    const writtenDay = between(random, 1, 28);
    const writtenDate = `${month}-${pad2(writtenDay)}`;
    // the first month's stock was listed before the campaign, over the years before it
    const listedAt = first
      ? `${between(random, 2019, 2022)}-${pad2(between(random, 1, 10))}-${pad2(between(random, 1, 28))}`
      : `${month}-${pad2(between(random, 1, writtenDay))}`;
    serial += between(random, 1, 40);
    return {
      uscc: makeUscc(kind, division, orgNumber),
      name: companyName(random, district),
      district: district.code,
      listType,
      key: caseKey(random, listType, district.code, listedAt.slice(0, 4), serial),
      department: departmentOf(listType, district),
      listedAt,
      reason: pick(random, REASONS[listType]),
      ...registryOf(random),
      writtenAt: shanghaiInstant(writtenDate, between(random, 9, 17), between(random, 0, 59)),
    };
  };
}
