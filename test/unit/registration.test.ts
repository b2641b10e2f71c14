import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REGISTRATION_STATUSES } from '#domain/model.ts';
import {
  normalizeBankruptcy,
  normalizeRegistrationStatus,
  parseYesNo,
  REGISTRATION_STATUS_LABELS,
  registrationStatusLabel,
} from '#domain/registration.ts';

describe('normalizeRegistrationStatus', () => {
  it.each([
    ['1', 'active'],
    ['2', 'revoked'],
    ['3', 'revoked-deregistered'],
    ['4', 'deregistered'],
    ['5', 'cancelled'],
    ['6', 'moved-out'],
    ['9', 'other'],
    ['存续', 'active'],
    ['在营', 'active'],
    ['开业', 'active'],
    ['在册', 'active'],
    ['在业', 'active'],
    ['正常', 'active'],
    ['存续（在营、开业、在册）', 'active'],
    ['吊销，未注销', 'revoked'],
    ['吊销,未注销', 'revoked'],
    ['吊销未注销', 'revoked'],
    ['吊销（未注销）', 'revoked'],
    ['吊销', 'revoked'],
    ['吊销，已注销', 'revoked-deregistered'],
    ['吊销, 已注销', 'revoked-deregistered'],
    ['注销', 'deregistered'],
    ['已注销', 'deregistered'],
    ['撤销', 'cancelled'],
    ['迁出', 'moved-out'],
    ['歇业', 'suspended'],
    ['停业', 'suspended'],
    ['清算', 'liquidating'],
    ['清算中', 'liquidating'],
    ['其他', 'other'],
    [' 存 续 ', 'active'],
    ['　吊销，未注销　', 'revoked'],
  ])('reads %j as %s', (raw, status) => {
    // Act
    const result = normalizeRegistrationStatus(raw);

    // Assess
    expect(result).toEqual({ status });
  });

  it('reads a numeric registry code', () => {
    // Act
    const result = normalizeRegistrationStatus(4);

    // Assess
    expect(result).toEqual({ status: 'deregistered' });
  });

  it.each([
    ['迁出（迁往北京市）', '北京市'],
    ['迁出(迁往北京市)', '北京市'],
    ['迁出：天津市滨海新区', '天津市滨海新区'],
    ['迁出（迁至保定市）', '保定市'],
    ['迁往廊坊市', '廊坊市'],
  ])('keeps the destination of %j', (raw, movedTo) => {
    // Act
    const result = normalizeRegistrationStatus(raw);

    // Assess
    expect(result).toEqual({ status: 'moved-out', movedTo });
  });

  it.each(['', '  ', '不知道', '7', '吊销注销撤销', 'active', '破产', 'toString', '__proto__'])(
    'leaves %j undefined',
    (raw) => {
      // Act
      const result = normalizeRegistrationStatus(raw);

      // Assess
      expect(result).toBeUndefined();
    },
  );

  it('gives back the status and destination from its own labels', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...REGISTRATION_STATUSES),
        fc.option(fc.constantFrom('北京市', '天津市滨海新区', '保定市'), { nil: undefined }),
        (status, movedTo) => {
          // Prepare
          const label = registrationStatusLabel(status, movedTo);

          // Act
          const result = normalizeRegistrationStatus(label);

          // Assess
          expect(result?.status).toBe(status);
          expect(result?.movedTo).toBe(status === 'moved-out' ? movedTo : undefined);
          expect(normalizeRegistrationStatus(REGISTRATION_STATUS_LABELS[status])?.status).toBe(status);
        },
      ),
    );
  });

  it('never throws and only yields known statuses', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (raw) => {
        // Act
        const result = normalizeRegistrationStatus(raw);

        // Assess
        if (result !== undefined) expect(REGISTRATION_STATUSES).toContain(result.status);
      }),
    );
  });
});

describe('parseYesNo', () => {
  it.each([
    ['是', true],
    ['否', false],
    ['Y', true],
    ['n', false],
    ['Ｙ', true],
    ['1', true],
    ['0', false],
    ['true', true],
    ['FALSE', false],
    ['有', true],
    ['无', false],
    ['已', true],
    ['未', false],
    [' 是 ', true],
    [1, true],
    [0, false],
    [true, true],
  ] as const)('reads %j as %s', (raw, expected) => {
    // Act
    const result = parseYesNo(raw);

    // Assess
    expect(result).toBe(expected);
  });

  it.each(['', '  ', '可能', '2', 'constructor', undefined, null])('leaves %j undefined', (raw) => {
    // Act
    const result = parseYesNo(raw);

    // Assess
    expect(result).toBeUndefined();
  });
});

describe('normalizeBankruptcy', () => {
  it.each([
    ['是', { bankruptcy: true }],
    ['否', { bankruptcy: false }],
    ['N', { bankruptcy: false }],
    ['未破产', { bankruptcy: false }],
    ['破产重整', { bankruptcy: true, stage: '破产重整' }],
    ['破产清算', { bankruptcy: true, stage: '破产清算' }],
    ['破产和解', { bankruptcy: true, stage: '破产和解' }],
    ['重整', { bankruptcy: true, stage: '重整' }],
    ['是（破产重整）', { bankruptcy: true, stage: '破产重整' }],
  ])('reads %j', (raw, expected) => {
    // Act
    const result = normalizeBankruptcy(raw);

    // Assess
    expect(result).toEqual(expected);
  });

  it.each(['', '和解', '清算', '不知道'])('leaves %j undefined', (raw) => {
    // Act
    const result = normalizeBankruptcy(raw);

    // Assess
    expect(result).toBeUndefined();
  });

  it('never throws and gives a stage only with bankruptcy', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (raw) => {
        // Act
        const result = normalizeBankruptcy(raw);

        // Assess
        if (result?.stage !== undefined) expect(result.bankruptcy).toBe(true);
      }),
    );
  });
});
