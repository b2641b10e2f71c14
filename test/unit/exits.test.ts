import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  exitDateProblems,
  planExitConfirmed,
  planExitPending,
  planExitWithdrawn,
} from '#domain/exit-steps.ts';
import {
  confirmExit,
  EVIDENCE_KINDS,
  EXIT_REASON_LABELS,
  EXIT_REASONS,
  type ExitActor,
  type ExitDecision,
  type ExitRequest,
  ExitStateError,
  type ExitSubmission,
  FourEyesError,
  missingEvidence,
  REQUIRED_EVIDENCE,
  resubmitExit,
  reviewExit,
  withdrawExit,
} from '#domain/exits.ts';
import type { Listing, Subject } from '#domain/model.ts';
import { submitExitSchema } from '../../functions/exits/exit-schemas.ts';

const AT = '2026-03-02T02:00:00.000Z';
const REQUEST: ExitRequest = {
  reason: 'deregistered',
  effectiveDate: '2026-02-27',
  evidence: [{ kind: 'registry-record', ref: '石市监注销字〔2026〕第12号' }],
  publicationRevoked: { system: '中国执行信息公开网', date: '2026-02-28' },
};

const actor = (principal: string, role = 'department'): ExitActor => ({ principal, role, at: AT });
const decision = (principal: string, approve = true): ExitDecision => ({
  ...actor(principal, 'district'),
  decision: approve ? 'approve' : 'reject',
  comment: approve ? '' : '材料不全',
});

function submitted(by = 'clerk'): ExitSubmission {
  return {
    exitId: 'exit-1',
    listingId: 'listing-1',
    uscc: '91130102000000011X',
    listType: 'court-debtor',
    key: '(2025)冀0102执1号',
    subjectName: '石家庄某某有限公司',
    district: '130102',
    department: '长安区人民法院',
    listedAt: '2025-06-01',
    status: 'submitted',
    rounds: [{ ...REQUEST, round: 1, submitted: actor(by) }],
    createdAt: AT,
    updatedAt: AT,
  };
}

function codeOf(step: () => unknown): string | undefined {
  try {
    step();
  } catch (error) {
    if (error instanceof ExitStateError) return error.code;
    if (error instanceof FourEyesError) return 'four-eyes';
    throw error;
  }
  return undefined;
}

describe('the transitions', () => {
  it('goes submitted → reviewed → confirmed, each decision kept on the round', () => {
    // Act
    const reviewed = reviewExit(submitted(), decision('district-officer'));
    const confirmed = confirmExit(reviewed, decision('city-officer'));

    // Assess
    expect(reviewed.status).toBe('reviewed');
    expect(confirmed.status).toBe('confirmed');
    expect(confirmed.rounds).toMatchObject([
      { review: { principal: 'district-officer' }, confirmation: { principal: 'city-officer' } },
    ]);
  });

  it('refuses the wrong order with the code of the state required', () => {
    // Assess
    expect(codeOf(() => confirmExit(submitted(), decision('city')))).toBe('exit-not-reviewed');
    expect(codeOf(() => reviewExit(reviewExit(submitted(), decision('d')), decision('e')))).toBe(
      'exit-not-submitted',
    );
    expect(codeOf(() => resubmitExit(submitted(), REQUEST, actor('clerk')))).toBe('exit-not-returned');
    expect(codeOf(() => withdrawExit(reviewExit(submitted(), decision('d')), actor('clerk')))).toBe(
      'exit-closed',
    );
  });

  it('refuses self-review, confirmation by the submitter and by the reviewer', () => {
    // Prepare
    const reviewed = reviewExit(submitted('zhang'), decision('li'));

    // Assess
    expect(codeOf(() => reviewExit(submitted('zhang'), decision('zhang')))).toBe('four-eyes');
    expect(codeOf(() => confirmExit(reviewed, decision('zhang')))).toBe('four-eyes');
    expect(codeOf(() => confirmExit(reviewed, decision('li')))).toBe('four-eyes');
    expect(codeOf(() => confirmExit(reviewed, decision('wang')))).toBeUndefined();
  });

  it('returns a rejected submission and takes the corrected one as a new round, the earlier kept', () => {
    // Act
    const returned = reviewExit(submitted(), decision('d', false));
    const again = resubmitExit(returned, { ...REQUEST, note: '补正' }, actor('clerk'));

    // Assess
    expect(returned.status).toBe('returned');
    expect(again.status).toBe('submitted');
    expect(again.rounds).toHaveLength(2);
    expect(again.rounds[0]).toEqual(returned.rounds[0]);
    expect(again.rounds[1]).toMatchObject({ round: 2, note: '补正' });
  });

  it('keeps four eyes and the order whatever steps anyone takes in whatever order', () => {
    const principal = fc.constantFrom('zhang', 'li', 'wang');
    const step = fc.record({
      kind: fc.constantFrom('review', 'confirm', 'resubmit', 'withdraw'),
      by: principal,
      approve: fc.boolean(),
    });
    fc.assert(
      fc.property(principal, fc.array(step, { maxLength: 12 }), (submitter, steps) => {
        let exit = submitted(submitter);
        for (const { kind, by, approve } of steps) {
          const before = exit;
          try {
            if (kind === 'review') exit = reviewExit(exit, decision(by, approve));
            else if (kind === 'confirm') exit = confirmExit(exit, decision(by, approve));
            else if (kind === 'resubmit') exit = resubmitExit(exit, REQUEST, actor(by));
            else exit = withdrawExit(exit, actor(by));
          } catch (error) {
            if (!(error instanceof ExitStateError || error instanceof FourEyesError)) throw error;
            continue;
          }
          // earlier rounds never change; a closed submission never moves again
          expect(exit.rounds.slice(0, before.rounds.length - 1)).toEqual(before.rounds.slice(0, -1));
          expect(before.status === 'confirmed' || before.status === 'withdrawn').toBe(false);
        }
        for (const round of exit.rounds) {
          expect(round.review?.principal).not.toBe(round.submitted.principal);
          if (round.confirmation !== undefined) {
            expect(round.review?.decision).toBe('approve');
            expect([round.submitted.principal, round.review?.principal]).not.toContain(
              round.confirmation.principal,
            );
          }
        }
        expect(exit.status === 'confirmed').toBe(exit.rounds.at(-1)?.confirmation?.decision === 'approve');
      }),
    );
  });
});

describe('missingEvidence', () => {
  it('asks for the evidence a reason needs, naming it in Chinese, and only then', () => {
    const item = fc.record({ kind: fc.constantFrom(...EVIDENCE_KINDS), ref: fc.string({ minLength: 1 }) });
    fc.assert(
      fc.property(fc.constantFrom(...EXIT_REASONS), fc.array(item, { maxLength: 5 }), (reason, evidence) => {
        const needed = REQUIRED_EVIDENCE[reason];
        const enough = needed.length === 0 || evidence.some((entry) => needed.includes(entry.kind));
        const missing = missingEvidence({ reason, evidence });
        expect(missing === undefined).toBe(enough);
        if (missing !== undefined) expect(missing).toContain(EXIT_REASON_LABELS[reason]);
      }),
    );
  });

  it('is what the submission body answers with, on the evidence field', () => {
    // Act
    const result = submitExitSchema.safeParse({ listingId: 'x', ...REQUEST, reason: 'bankruptcy' });

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues).toMatchObject([
      { path: ['evidence'], message: '退出原因“破产”须提供法院裁定书' },
    ]);
  });

  it('accepts any valid request body and refuses one without a listing', () => {
    const day = fc
      .date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
      .map((date) => date.toISOString().slice(0, 10));
    fc.assert(
      fc.property(
        day,
        day,
        fc.constantFrom('court-ruling', 'registry-record'),
        (effectiveDate, revoked, kind) => {
          const body = {
            ...REQUEST,
            reason: 'liquidation',
            effectiveDate,
            evidence: [{ kind, ref: '（2026）冀01破1号' }],
            publicationRevoked: { system: '信用中国（河北）', date: revoked },
          };
          expect(submitExitSchema.safeParse({ listingId: 'x', ...body }).success).toBe(true);
          expect(submitExitSchema.safeParse(body).success).toBe(false);
        },
      ),
    );
  });
});

describe('the listing at each step', () => {
  const subject = { uscc: '91130102000000011X', name: '某公司', district: '130102' } as Subject;
  const listing = {
    uscc: subject.uscc,
    listType: 'court-debtor',
    key: 'k',
    department: '长安区人民法院',
    status: 'active',
    district: '130102',
    source: 'test',
  } as Listing;

  it('makes an active listing pending, and refuses a pending or an exited one', () => {
    // Act
    const plan = planExitPending(submitted())({ subject, listing });

    // Assess
    expect(plan?.listing).toMatchObject({
      status: 'exit-pending',
      exitId: 'exit-1',
      exitStatus: 'submitted',
    });
    expect(() =>
      planExitPending(submitted())({ subject, listing: { ...listing, status: 'exit-pending' } }),
    ).toThrow('已有未办结的退出申报');
    expect(() =>
      planExitPending(submitted())({ subject, listing: { ...listing, status: 'exited' } }),
    ).toThrow('已退出');
  });

  it('makes a withdrawn listing active again, and ends a confirmed one with its date and reason', () => {
    // Prepare
    const pending = {
      ...listing,
      status: 'exit-pending' as const,
      exitId: 'exit-1',
      exitStatus: 'reviewed' as const,
    };

    // Act
    const withdrawn = planExitWithdrawn(submitted())({ subject, listing: pending });
    const confirmed = planExitConfirmed(submitted(), REQUEST)({ subject, listing: pending });

    // Assess
    expect(withdrawn?.listing).toEqual({ ...listing, status: 'active' });
    expect(confirmed).toMatchObject({
      listing: {
        status: 'exited',
        exitedAt: '2026-02-27',
        exitReason: 'deregistered',
        exitStatus: 'confirmed',
      },
      exitReason: 'deregistered',
    });
    expect(() =>
      planExitConfirmed(submitted(), REQUEST)({ subject, listing: { ...pending, exitId: 'other' } }),
    ).toThrow();
  });

  it('refuses dates in the future and an exit before the listing', () => {
    // Assess
    expect(exitDateProblems(REQUEST, '2026-03-02', '2025-06-01')).toEqual([]);
    expect(exitDateProblems(REQUEST, '2026-02-27', '2026-02-28').map((problem) => problem.field)).toEqual([
      'effectiveDate',
      'publicationRevoked.date',
    ]);
  });
});
