import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DirectExitError, directExitReason, directExitRequest, isDirectExit } from '#domain/direct-exits.ts';
import { EVIDENCE_KINDS, missingEvidence } from '#domain/exits.ts';
import { type Classification, REGISTRATION_STATUSES } from '#domain/model.ts';

const DIRECT = { list: 'exit', track: 'direct' } as unknown as Classification;
const DEFAULTS = {
  effectiveDate: '2026-05-01',
  publicationRevoked: { system: '中国执行信息公开网', date: '2026-05-01' },
  evidence: [],
};

describe('direct exits (rule E1)', () => {
  it('takes the override over the rule', () => {
    expect(isDirectExit(DIRECT)).toBe(true);
    expect(
      isDirectExit({
        ...DIRECT,
        override: { list: 'constrain', track: 'joint-punishment' },
      } as Classification),
    ).toBe(false);
    const overriddenTo = {
      list: 'constrain',
      track: 'joint-punishment',
      override: { list: 'exit', track: 'direct' },
    };
    expect(isDirectExit(overriddenTo as unknown as Classification)).toBe(true);
    expect(isDirectExit(undefined)).toBe(false);
  });

  it('gives the reason of the registration status first, then of the bankruptcy flag', () => {
    expect(directExitReason({ registrationStatus: 'cancelled', flags: { bankruptcy: true } })).toBe(
      'deregistered',
    );
    expect(directExitReason({ registrationStatus: 'liquidating', flags: {} })).toBe('liquidation');
    expect(directExitReason({ registrationStatus: 'active', flags: { bankruptcy: true } })).toBe(
      'bankruptcy',
    );
    expect(directExitReason({ registrationStatus: 'active', flags: {} })).toBeUndefined();
  });

  it('prefills a request whose evidence is enough wherever the registry gives a reason that takes its record', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...REGISTRATION_STATUSES),
        fc.boolean(),
        fc.array(fc.record({ kind: fc.constantFrom(...EVIDENCE_KINDS), ref: fc.string({ minLength: 1 }) }), {
          maxLength: 3,
        }),
        (registrationStatus, bankruptcy, evidence) => {
          const subject = { registrationStatus, flags: { bankruptcy } };
          const reason = directExitReason(subject);
          if (reason === undefined) {
            expect(() => directExitRequest(subject, DIRECT, { ...DEFAULTS, evidence })).toThrow(
              DirectExitError,
            );
            return;
          }
          const request = directExitRequest(subject, DIRECT, { ...DEFAULTS, evidence });
          expect(request.reason).toBe(reason);
          expect(request.evidence.slice(0, evidence.length)).toEqual(evidence);
          if (reason !== 'bankruptcy') expect(missingEvidence(request)).toBeUndefined();
        },
      ),
    );
  });

  it('refuses a listing that is not on the direct track', () => {
    const notDirect = { list: 'exit', track: 'expired' } as unknown as Classification;
    expect(() =>
      directExitRequest({ registrationStatus: 'deregistered', flags: {} }, notDirect, DEFAULTS),
    ).toThrow(expect.objectContaining({ code: 'not-direct-exit' }));
  });
});
