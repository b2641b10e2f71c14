import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideHold } from '../../functions/import/hold.ts';

describe('decideHold', () => {
  it('holds a push that lacks more than the threshold of its active listings, with the figures', () => {
    const decision = decideHold({ scope: '130102', activeBefore: 10, missing: 4 }, 0.3, false);
    expect(decision).toEqual({
      hold: true,
      diff: { scope: '130102', activeBefore: 10, missing: 4, share: 0.4, threshold: 0.3 },
      message:
        '本次推送缺少 4 条原有效名单（占 40.0%，超过 30% 的阈值），已暂停导入，请市信用办核实后确认放行',
    });
  });

  it('lets through a push at the threshold, one released, and one whose scope had nothing active', () => {
    expect(decideHold({ scope: 'city', activeBefore: 10, missing: 3 }, 0.3, false).hold).toBe(false);
    expect(decideHold({ scope: 'city', activeBefore: 10, missing: 9 }, 0.3, true)).toMatchObject({
      hold: false,
      diff: { share: 0.9 },
    });
    expect(decideHold({ scope: 'city', activeBefore: 0, missing: 0 }, 0.3, false).diff.share).toBe(0);
  });

  it('holds exactly when the share is over the threshold and the push is not released', () => {
    fc.assert(
      fc.property(
        fc.nat(1000),
        fc.nat(1000),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.boolean(),
        (active, lacking, threshold, released) => {
          const missing = Math.min(active, lacking);
          const decision = decideHold({ scope: 's', activeBefore: active, missing }, threshold, released);
          const share = active === 0 ? 0 : missing / active;
          expect(decision.hold).toBe(!released && share > threshold);
          expect('message' in decision).toBe(decision.hold);
        },
      ),
    );
  });
});
