import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MappedRow } from '../../functions/import/parse/header.ts';
import { interpretRow, type RowContext } from '../../functions/import/row-rules.ts';

const court: RowContext = { source: 'court', sheetIndex: 0 };

function row(fields: MappedRow['fields'], line = 5): MappedRow {
  return { sheet: '', line, fields };
}

const listingRow = {
  name: '石家庄甲商贸有限公司',
  uscc: '914403001922038216',
  district: '长安区',
  department: '长安区人民法院',
  caseNo: '(2022)冀0102执1号',
  listedAt: '2022年11月3日',
};

describe('interpretRow', () => {
  it('reads a court row into subject and listing facts', () => {
    const outcome = interpretRow(row(listingRow), court);
    expect(outcome).toMatchObject({
      kind: 'listing',
      identity: { uscc: '914403001922038216' },
      subject: { name: '石家庄甲商贸有限公司', district: '130102', districtSource: 'column' },
      listing: {
        listType: 'court-debtor',
        key: '(2022)冀0102执1号',
        listedAt: '2022-11-03',
        department: '长安区人民法院',
      },
    });
  });

  it('keys a listing by its listed date when it has no case number', () => {
    const { caseNo: _none, ...withoutCase } = listingRow;
    const outcome = interpretRow(row(withoutCase), court);
    expect(outcome).toMatchObject({ kind: 'listing', listing: { key: 'D2022-11-03' } });
  });

  it('reports every problem of a bad row with its line, field and a Chinese message', () => {
    const outcome = interpretRow(
      row({ ...listingRow, uscc: '914403001922038217', name: '', listedAt: '2022-02-30' }, 9),
      court,
    );
    expect(outcome.kind).toBe('invalid');
    const errors = outcome.kind === 'invalid' ? outcome.errors : [];
    expect(errors.map((error) => error.field).sort()).toEqual(['listedAt', 'name', 'uscc']);
    for (const error of errors) {
      expect(error.line).toBe(9);
      expect(error.message).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('names the listing of a bad row that still carries its code, list type and case number', () => {
    // a push's diff must not flag a listing whose row is in the file, bad as the row may be
    const outcome = interpretRow(row({ ...listingRow, name: '' }), court);
    expect(outcome).toMatchObject({
      kind: 'invalid',
      names: { uscc: '914403001922038216', listType: 'court-debtor', key: '(2022)冀0102执1号' },
    });
    expect(interpretRow(row({ ...listingRow, uscc: '914403001922038217' }), court)).not.toHaveProperty(
      'names',
    );
  });

  it('records the uploading department, not the row’s, for a department upload', () => {
    const outcome = interpretRow(row({ ...listingRow, department: '别的法院' }), {
      ...court,
      department: '长安区人民法院',
    });
    expect(outcome).toMatchObject({ kind: 'listing', listing: { department: '长安区人民法院' } });
    expect(outcome.kind === 'listing' ? outcome.warnings.map((warning) => warning.field) : []).toEqual([
      'department',
    ]);
  });

  it('needs a list type for a push without a list-type column or title', () => {
    const outcome = interpretRow(row(listingRow), { source: 'push', sheetIndex: 0 });
    expect(outcome.kind).toBe('invalid');
    expect(
      interpretRow(row({ ...listingRow, listType: '重大税收违法失信主体' }), {
        source: 'push',
        sheetIndex: 0,
      }),
    ).toMatchObject({
      listing: { listType: 'tax-violation' },
    });
  });

  it('skips natural persons and keeps nothing of them but the line', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('130102198001011234', '1301021980****1234', '130102800101123', '13010219800230123X'),
        fc.string(),
        (id, name) => {
          const outcome = interpretRow(row({ ...listingRow, uscc: id, name }), court);
          expect(outcome.kind).toBe('person');
          expect(JSON.stringify(outcome)).not.toContain(id);
          // nothing of the name either: the outcome is the same whatever the name (a short name could
          // occur in the outcome's own words by chance, so containment would not say it)
          const unnamed = interpretRow(row({ ...listingRow, uscc: id, name: '某某' }), court);
          expect(outcome).toEqual(unnamed);
        },
      ),
    );
  });

  it('reads registry rows: status with destination, flags and district', () => {
    const outcome = interpretRow(
      row({
        uscc: '914403001922038216',
        registrationStatus: '迁出（迁往北京市）',
        lostContact: '是',
        bankruptcy: '破产重整',
        district: '130182',
      }),
      { source: 'registry', sheetIndex: 0 },
    );
    expect(outcome).toMatchObject({
      kind: 'registry',
      registrationStatus: 'moved-out',
      movedTo: '北京市',
      flags: { lostContact: true, bankruptcy: true, bankruptcyStage: '破产重整' },
      district: { code: '130109' },
    });
  });

  it('reads enterprise counts with the month from the file name', () => {
    const outcome = interpretRow(row({ district: '正定县', enterpriseCount: '12,345' }), {
      source: 'enterprise-counts',
      sheetIndex: 0,
      fileMonth: '2026-10',
    });
    expect(outcome).toEqual({
      kind: 'count',
      district: '130123',
      month: '2026-10',
      enterprises: 12345,
      warnings: [],
    });
  });

  it('never throws, whatever the cells hold', () => {
    const field = fc.option(fc.string(), { nil: undefined });
    fc.assert(
      fc.property(
        fc.record({
          name: field,
          uscc: field,
          district: field,
          listType: field,
          department: field,
          caseNo: field,
          listedAt: field,
        }),
        fc.constantFrom('push', 'court', 'tax', 'registry', 'enterprise-counts') as fc.Arbitrary<
          RowContext['source']
        >,
        (fields, source) => {
          const clean = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
          expect(() => interpretRow(row(clean), { source, sheetIndex: 0 })).not.toThrow();
        },
      ),
    );
  });
});
