import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as domainActions from '#domain/actions.ts';
import { checksCsv, decodeCodesFile, parseCodes } from '../../console/src/components/listings/checks-csv.ts';
import { changeLines } from '../../console/src/components/listings/history.ts';
import {
  ACTION_KIND_LABELS,
  PAIRING_PARTNER_LABELS,
  WARNING_CHANNEL_LABELS,
} from '../../console/src/components/listings/labels.ts';
import {
  filtersOf,
  nextPositionOf,
  pageQueryOf,
  positionOf,
  routeQueryOf,
} from '../../console/src/components/listings/listings-query.ts';
import type { CheckAnswer, TrailEntry } from '../../console/src/components/listings/types.ts';
import { gbkCsv, makeUscc } from '../support/files.ts';

describe('console listing view query', () => {
  it('keeps filters and page through the route query', () => {
    // Arrange
    const filters = {
      list: 'assist',
      track: '',
      listType: '',
      district: '130102',
      department: '',
      overdue: '',
    };
    const position = { phase: 'due' as const, cursor: 'abc', page: 3, limit: 50 };

    // Act
    const query = routeQueryOf(filters, position) as Record<string, string>;

    // Assess
    expect(query).toEqual({
      list: 'assist',
      district: '130102',
      limit: '50',
      page: '3',
      phase: 'due',
      cursor: 'abc',
    });
    expect(filtersOf(query)).toEqual(filters);
    expect(positionOf(query)).toEqual(position);
  });

  it('walks the overdue listings first, then the others, then stops', () => {
    // Arrange
    const filters = filtersOf({});
    const first = positionOf({});

    // Act
    const within = nextPositionOf(filters, first, 'c1');
    const switched = nextPositionOf(filters, first, undefined);
    const last = switched === undefined ? 'missing' : nextPositionOf(filters, switched, undefined);

    // Assess
    expect(pageQueryOf(filters, first)).toEqual({ overdue: 'true', limit: '20' });
    expect(within).toEqual({ ...first, cursor: 'c1', page: 2 });
    expect(switched).toEqual({ ...first, phase: 'due', cursor: '', page: 2 });
    expect(switched === undefined ? {} : pageQueryOf(filters, switched)).toEqual({
      overdue: 'false',
      limit: '20',
    });
    expect(last).toBeUndefined();
  });

  it('has one walk when the plan state is chosen', () => {
    // Arrange
    const filters = filtersOf({ overdue: 'false' });

    // Act
    const next = nextPositionOf(filters, positionOf({}), undefined);

    // Assess
    expect(pageQueryOf(filters, positionOf({}))).toEqual({ overdue: 'false', limit: '20' });
    expect(next).toBeUndefined();
  });
});

describe('console check codes', () => {
  it('reads every code once, in order, whatever separates them (property)', () => {
    const codes = fc.uniqueArray(
      fc.integer({ min: 1, max: 99_999_999 }).map((serial) => makeUscc(serial)),
      { minLength: 1, maxLength: 30 },
    );
    const separator = fc.constantFrom('\n', '\r\n', ',', '，', '\t', ' ', ';', '、\n');
    fc.assert(
      fc.property(codes, fc.array(separator, { minLength: 30, maxLength: 30 }), (list, separators) => {
        // Arrange
        const text = `统一社会信用代码\n${list.map((code, index) => `"${code}"${separators[index]}`).join('')}${list[0]}`;

        // Act
        const parsed = parseCodes(`\uFEFF${text}`);

        // Assess
        expect(parsed).toEqual(list);
      }),
    );
  });

  it('reads a file Excel saved as plain CSV (GBK) as well as UTF-8', () => {
    // Arrange
    const rows = [
      ['企业名称', '统一社会信用代码'],
      ['石家庄某某商贸有限公司', makeUscc(42)],
    ];

    // Act
    const text = decodeCodesFile(new Uint8Array(gbkCsv(rows)));

    // Assess
    expect(text).toContain('石家庄某某商贸有限公司');
    expect(parseCodes(text)).toEqual([makeUscc(42)]);
  });

  it('writes the answers as CSV with a BOM, quoted cells and no formula', () => {
    // Arrange
    const answers: CheckAnswer[] = [
      {
        code: '=HYPERLINK("x")',
        listed: false,
        listings: [],
        error: { code: 'not-a-code', message: '不是代码，请核对' },
      },
      {
        code: makeUscc(7),
        uscc: makeUscc(7),
        listed: true,
        listings: [
          {
            listingId: 'l1',
            uscc: makeUscc(7),
            listType: 'court-debtor',
            listTypeLabel: '失信被执行人',
            department: '石家庄市中级人民法院',
            listedAt: '2024-03-15',
            status: 'active',
            list: 'constrain',
            measures: [{ code: 'm', label: '限制参与政府采购', since: '2024-03-15', decidedBy: 'rule:C1' }],
          },
        ],
      },
    ];

    // Act
    const lines = checksCsv(answers).split('\r\n');

    // Assess
    expect(lines[0]?.startsWith('\uFEFF核查代码,')).toBe(true);
    expect(lines[1]).toBe(`"'=HYPERLINK(""x"")",,无法核查,,,,,,不是代码，请核对`);
    expect(lines[2]).toBe(
      `${makeUscc(7)},${makeUscc(7)},在列,失信被执行人,石家庄市中级人民法院,2024年3月15日,约束清单,限制参与政府采购,`,
    );
  });
});

describe('console labels and history', () => {
  it('copies the action labels of the domain exactly', () => {
    // Assess
    expect(ACTION_KIND_LABELS).toEqual(domainActions.ACTION_KIND_LABELS);
    expect(PAIRING_PARTNER_LABELS).toEqual(domainActions.PAIRING_PARTNER_LABELS);
    expect(WARNING_CHANNEL_LABELS).toEqual(domainActions.WARNING_CHANNEL_LABELS);
  });

  it('puts a classification change in words, the tally left out', () => {
    // Arrange
    const entry: TrailEntry = {
      entryId: 'e1',
      itemType: 'listing',
      itemKey: { PK: 'p', SK: 's' },
      event: 'changed',
      at: '2026-11-30T14:40:00.000Z',
      changes: {
        classification: {
          before: { list: 'constrain', track: 'joint-punishment', ruleId: 'C1' },
          after: {
            list: 'constrain',
            track: 'joint-punishment',
            ruleId: 'C1',
            override: { list: 'assist', track: 'repair-guidance' },
          },
        },
        tally: { before: { list: 'constrain' }, after: { list: 'assist' } },
        performance: { after: 'partial' },
      },
    };

    // Act
    const lines = changeLines(entry);

    // Assess
    expect(lines).toEqual([
      {
        field: '分类',
        before: '约束清单·联合惩戒（规则C1）',
        after: '约束清单·联合惩戒（规则C1）；部门调整为帮扶清单·信用修复指导',
      },
      { field: '履行情况', before: '（无）', after: '部分履行' },
    ]);
  });
});
