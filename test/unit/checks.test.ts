import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  answerFor,
  type CheckedListing,
  checkListingOf,
  checkRecordOf,
  classifyCheckCode,
  normalizeCheckCode,
  PERSON_ID_PLACEHOLDER,
} from '#domain/checks.ts';
import type { Classification } from '#domain/model.ts';
import { orgCodeCheckChar, USCC_ALPHABET, uscc18CheckChar } from '#domain/uscc.ts';

const alphabetChar = fc.constantFrom(...USCC_ALPHABET);
/** Codes that pass both checks; enterprise codes (91…) so that none is taken for a resident ID. */
const validUscc = fc
  .tuple(
    fc.string({ unit: alphabetChar, minLength: 6, maxLength: 6 }),
    fc.string({ unit: fc.constantFrom(...'0123456789ABCDEFGHJKLMNPQRTUWXY'), minLength: 8, maxLength: 8 }),
  )
  .map(([division, org]) => {
    const first17 = `91${division}${org}${orgCodeCheckChar(org)}`;
    return first17 + uscc18CheckChar(first17);
  });
const validOrgCode = fc
  .string({ unit: fc.constantFrom(...'0123456789ABCDEFGHJKLMNPQRTUWXY'), minLength: 8, maxLength: 8 })
  .map((body) => body + orgCodeCheckChar(body));

function toFullWidth(s: string): string {
  return [...s].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('');
}

/** Writings of the same code a clerk may send: spaced, lower-case, full-width, or all three. */
const writing = fc.constantFrom(
  (code: string) => `  ${code}\t`,
  (code: string) => code.toLowerCase(),
  (code: string) => toFullWidth(code),
  (code: string) => ` ${toFullWidth(code.toLowerCase())}　`,
);

describe('normalizeCheckCode', () => {
  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string(), (raw) => {
        const once = normalizeCheckCode(raw);
        expect(normalizeCheckCode(once)).toBe(once);
      }),
    );
  });

  it('gives back the code itself from any writing of a valid code', () => {
    fc.assert(
      fc.property(validUscc, writing, (code, write) => {
        expect(normalizeCheckCode(write(code))).toBe(code);
      }),
    );
  });
});

describe('classifyCheckCode', () => {
  it('takes any writing of a valid USCC as that USCC, echoing the code as given', () => {
    fc.assert(
      fc.property(validUscc, writing, (code, write) => {
        const raw = write(code);
        expect(classifyCheckCode(raw)).toEqual({ kind: 'uscc', code: raw, uscc: code });
      }),
    );
  });

  it('takes a valid organisation code, with or without its dash, as an organisation code', () => {
    fc.assert(
      fc.property(validOrgCode, fc.boolean(), writing, (org, dashed, write) => {
        const raw = write(dashed ? `${org.slice(0, 8)}-${org.slice(8)}` : org);
        expect(classifyCheckCode(raw)).toEqual({ kind: 'org-code', code: raw, orgCode: org });
      }),
    );
  });

  it('refuses a USCC with a wrong position 18, in Chinese', () => {
    fc.assert(
      fc.property(validUscc, alphabetChar, (code, other) => {
        fc.pre(other !== code.charAt(17));
        const result = classifyCheckCode(code.slice(0, 17) + other);
        expect(result).toMatchObject({ kind: 'malformed', error: { code: 'invalid-uscc' } });
      }),
    );
    expect(classifyCheckCode('914403001922038217')).toMatchObject({
      error: { code: 'invalid-uscc', message: expect.stringMatching(/第18位/) },
    });
  });

  it('never throws, and everything it accepts has the shape it claims', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: alphabetChar, maxLength: 20 })), (raw) => {
        const result = classifyCheckCode(raw);
        expect(result.code).toBe(raw);
        if (result.kind === 'uscc') expect(result.uscc).toMatch(/^[0-9A-HJ-NPQRTUWXY]{18}$/);
        if (result.kind === 'org-code') expect(result.orgCode).toMatch(/^[0-9A-Z]{9}$/);
        if (result.kind === 'malformed') expect(result.error.message).toMatch(/[\u4e00-\u9fff]/);
      }),
    );
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['12345', 'not-a-code'],
    ['9144030019220382160', 'not-a-code'],
    ['12345678-0', 'invalid-org-code'],
    ['91440300192203821O', 'invalid-uscc'],
    ['130102198001011234', 'person-id'],
    ['1301021980****1234', 'person-id'],
  ])('refuses %j as %s', (raw, code) => {
    expect(classifyCheckCode(raw)).toMatchObject({ kind: 'malformed', error: { code } });
  });
});

const CLASSIFIED: Classification = {
  list: 'constrain',
  track: 'joint-punishment',
  ruleId: 'C1',
  reason: '其他情形',
  inputs: {} as Classification['inputs'],
  ruleTableVersion: '2026-04-01.1',
  asOf: '2026-05-01',
  decidedAt: '2026-05-01T00:00:00.000Z',
  measures: [
    {
      code: 'no-fiscal-support',
      label: '限制财政资金补贴和项目支持',
      since: '2026-05-01',
      decidedBy: 'rule:C1',
    },
  ],
};

function listing(overrides: Partial<CheckedListing> = {}): CheckedListing {
  return {
    uscc: '914403001922038216',
    listType: 'tax-violation',
    key: 'K1',
    department: '国家税务总局石家庄市税务局',
    listedAt: '2026-01-05',
    status: 'active',
    classification: CLASSIFIED,
    ...overrides,
  };
}

describe('checkListingOf', () => {
  it('answers a constraint listing with its measures, since when and on whose decision', () => {
    expect(checkListingOf(listing(), 'id-1')).toEqual({
      listingId: 'id-1',
      uscc: '914403001922038216',
      listType: 'tax-violation',
      listTypeLabel: '重大税收违法失信主体',
      department: '国家税务总局石家庄市税务局',
      listedAt: '2026-01-05',
      status: 'active',
      list: 'constrain',
      track: 'joint-punishment',
      measures: [
        {
          code: 'no-fiscal-support',
          label: '限制财政资金补贴和项目支持',
          since: '2026-05-01',
          decidedBy: 'rule:C1',
        },
      ],
    });
  });

  it('takes the override as the list, and gives no measures off the constraint list', () => {
    const overridden = listing({
      classification: {
        ...CLASSIFIED,
        override: {
          list: 'assist',
          track: 'repair-guidance',
          reason: '已整改',
          by: 'p',
          department: 'd',
          at: '2026-05-02T00:00:00.000Z',
        },
      },
    });
    expect(checkListingOf(overridden, 'id')).toMatchObject({
      list: 'assist',
      track: 'repair-guidance',
      measures: [],
    });
  });

  it('answers an unclassified listing as such, and leaves out an exited one', () => {
    const { classification: _none, ...unclassified } = listing();
    expect(checkListingOf(unclassified, 'id')).toMatchObject({ list: 'unclassified', measures: [] });
    expect(checkListingOf(listing({ status: 'exited' }), 'id')).toBeUndefined();
  });
});

describe('answerFor', () => {
  const answered = checkListingOf(listing(), 'id-1');
  const listingsOf = (uscc: string) => (uscc === '914403001922038216' && answered ? [answered] : []);

  it('answers an unknown USCC as not listed', () => {
    const checked = classifyCheckCode('91330100799655058B');
    expect(answerFor(checked, [], listingsOf)).toEqual({
      code: '91330100799655058B',
      uscc: '91330100799655058B',
      listed: false,
      listings: [],
    });
  });

  it('answers an organisation code with the one USCC it matched', () => {
    const checked = classifyCheckCode('19220382-1');
    expect(answerFor(checked, ['914403001922038216'], listingsOf)).toMatchObject({
      code: '19220382-1',
      uscc: '914403001922038216',
      listed: true,
    });
  });

  it('answers an organisation code that matched several with every listing and an error', () => {
    const checked = classifyCheckCode('192203821');
    const answer = answerFor(checked, ['914403001922038216', '924403001922038211'], listingsOf);
    expect(answer).toMatchObject({
      listed: true,
      candidates: ['914403001922038216', '924403001922038211'],
      error: { code: 'ambiguous-org-code' },
    });
    expect(answer.uscc).toBeUndefined();
    expect(answer.listings).toHaveLength(1);
  });

  it('keeps nothing of a resident ID in the record of a check', () => {
    const checked = classifyCheckCode('130102198001011234');
    const record = checkRecordOf(answerFor(checked, [], listingsOf));
    expect(record).toEqual({ code: PERSON_ID_PLACEHOLDER, listed: false, error: 'person-id' });
  });
});
