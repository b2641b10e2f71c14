import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DISTRICTS,
  districtName,
  isDistrictCode,
  LEGACY_DISTRICT_CODES,
  resolveDistrict,
} from '#domain/district.ts';
import { UNASSIGNED_DISTRICT } from '#domain/model.ts';
import { orgCodeCheckChar, uscc18CheckChar } from '#domain/uscc.ts';

/** A USCC passing both checks, registered at `division`. */
function usccAt(division: string): string {
  const org = 'MA07ABCD';
  const first17 = `91${division}${org}${orgCodeCheckChar(org)}`;
  return first17 + uscc18CheckChar(first17);
}

const ALLOWED_CODES = new Set<string>([...DISTRICTS.map((d) => d.code), UNASSIGNED_DISTRICT]);

describe('DISTRICTS', () => {
  it('holds the 22 county-level divisions and the 2 zones, each code once', () => {
    // Act
    const codes = DISTRICTS.map((d) => d.code);

    // Assess
    expect(new Set(codes).size).toBe(24);
    expect(DISTRICTS.filter((d) => d.kind === 'zone').map((d) => d.code)).toEqual(['130171', '130172']);
    expect(codes).not.toContain('130100');
  });

  it('names the units', () => {
    // Assess
    expect(districtName('130102')).toBe('长安区');
    expect(districtName('130171')).toBe('高新区');
    expect(districtName('130100')).toBeUndefined();
    expect(isDistrictCode('130133')).toBe(true);
    expect(isDistrictCode('130182')).toBe(false);
    expect(isDistrictCode(UNASSIGNED_DISTRICT)).toBe(false);
  });
});

describe('resolveDistrict from the column', () => {
  it.each(DISTRICTS.flatMap((d) => [d.code, d.name, d.fullName, d.shortName].map((v) => [v, d.code])))(
    'resolves %j to %s',
    (column, code) => {
      // Act
      const result = resolveDistrict({ column });

      // Assess
      expect(result).toEqual({ code, source: 'column' });
    },
  );

  it('resolves every unit with 石家庄市 / 河北省 in front, spaces and full-width characters', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...DISTRICTS),
        fc.constantFrom('', '石家庄市', '河北省石家庄市', '河北省 石家庄市 ', '石家庄'),
        fc.constantFrom<'code' | 'name' | 'fullName' | 'shortName'>('code', 'name', 'fullName', 'shortName'),
        fc.constantFrom('', ' ', '\u3000'),
        (district, prefix, field, pad) => {
          // Prepare
          const column = `${pad}${prefix}${district[field]}${pad}`;

          // Act
          const result = resolveDistrict({ column, uscc: usccAt('130184') });

          // Assess
          expect(result).toEqual({ code: district.code, source: 'column' });
        },
      ),
    );
  });

  it.each([
    ['长安区（130102）', '130102'],
    ['130102(长安区)', '130102'],
    ['130102 长安区', '130102'],
    ['石家庄市（长安区）', '130102'],
    ['长安区(原桥东区)', '130102'],
    ['１３０１０２', '130102'],
    ['130102000000', '130102'],
    ['高新技术产业开发区', '130171'],
    ['石家庄高新区', '130171'],
    ['石家庄循环化工园区', '130172'],
  ])('resolves %j to %s', (column, code) => {
    // Act
    const result = resolveDistrict({ column });

    // Assess
    expect(result).toEqual({ code, source: 'column' });
  });

  it.each(Object.entries(LEGACY_DISTRICT_CODES).filter(([, successor]) => successor !== null))(
    'maps the legacy code %s to %s with a note',
    (legacy, successor) => {
      // Act
      const result = resolveDistrict({ column: legacy });

      // Assess
      expect(result.code).toBe(successor);
      expect(result.source).toBe('column');
      expect(result.note).toContain(legacy);
    },
  );

  it.each([
    ['藁城市', '130109'],
    ['石家庄市鹿泉市', '130110'],
    ['栾城县', '130111'],
  ])('maps the legacy name %j to %s', (column, code) => {
    // Act
    const result = resolveDistrict({ column });

    // Assess
    expect(result).toMatchObject({ code, source: 'column' });
    expect(result.note).toMatch(/2014/);
  });

  it.each([
    ['130100', '市本级'],
    ['市本级', '市本级'],
    ['石家庄市', '市本级'],
    ['河北省石家庄市', '市本级'],
    ['130103', '桥东区'],
    ['桥东区', '桥东区'],
    ['桥东区（原）', '没有唯一的继任区县'],
    ['北京市朝阳区', '不是'],
    ['110105', '不是'],
    ['长安区、桥西区', '同时指向'],
    ['长安区(桥东区)', '同时指向'],
    ['河北省', '不是'],
    ['toString', '不是'],
    ['__proto__', '不是'],
  ])('leaves %j unassigned with a note, ignoring the USCC', (column, noteFragment) => {
    // Prepare
    const uscc = usccAt('130102');

    // Act
    const result = resolveDistrict({ column, uscc });

    // Assess
    expect(result.code).toBe(UNASSIGNED_DISTRICT);
    expect(result.source).toBe('unassigned');
    expect(result.note).toContain(noteFragment);
  });
});

describe('resolveDistrict from the USCC', () => {
  it.each(['', '  ', undefined, '-', '无'])('infers from positions 3–8 when the column is %j', (column) => {
    // Act
    const result = resolveDistrict({ column, uscc: usccAt('130123') });

    // Assess
    expect(result.code).toBe('130123');
    expect(result.source).toBe('inferred-from-uscc');
    expect(result.note).toContain('130123');
  });

  it('infers through a legacy code', () => {
    // Act
    const result = resolveDistrict({ uscc: usccAt('130182') });

    // Assess
    expect(result).toMatchObject({ code: '130109', source: 'inferred-from-uscc' });
    expect(result.note).toContain('藁城');
  });

  it.each([
    ['130100', '市本级'],
    ['130103', '桥东区'],
    ['130000', '不是'],
    ['440300', '不是'],
  ])('leaves a USCC registered at %s unassigned', (division, noteFragment) => {
    // Act
    const result = resolveDistrict({ uscc: usccAt(division) });

    // Assess
    expect(result).toMatchObject({ code: UNASSIGNED_DISTRICT, source: 'unassigned' });
    expect(result.note).toContain(noteFragment);
  });

  it('does not infer from an invalid USCC or from nothing', () => {
    // Act
    const invalid = resolveDistrict({ uscc: '911301020000000000' });
    const nothing = resolveDistrict({});

    // Assess
    expect(invalid).toMatchObject({ code: UNASSIGNED_DISTRICT, source: 'unassigned' });
    expect(invalid.note).toContain('无效');
    expect(nothing).toMatchObject({ code: UNASSIGNED_DISTRICT, source: 'unassigned' });
  });
});

describe('resolveDistrict on arbitrary input', () => {
  it('never throws and never yields a code outside the units and UNASSIGNED', () => {
    fc.assert(
      fc.property(
        fc.option(
          fc.oneof(
            fc.string({ unit: 'binary' }),
            fc.string({ unit: fc.constantFrom(...'长安区桥西新华高新石家庄市河北省()（）、 0123456789') }),
          ),
          { nil: undefined },
        ),
        fc.option(fc.oneof(fc.string(), fc.stringMatching(/^9113\d{14}$/)), { nil: undefined }),
        (column, uscc) => {
          // Act
          const result = resolveDistrict({ column, uscc });

          // Assess
          expect(ALLOWED_CODES.has(result.code)).toBe(true);
          expect(result.source === 'unassigned').toBe(result.code === UNASSIGNED_DISTRICT);
          if (result.source === 'unassigned') expect(result.note).toBeTruthy();
        },
      ),
    );
  });
});
