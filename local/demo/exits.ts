/**
 * The demo city's exits: which listed subjects leave in a month (weighted, gone subjects first) and each
 * exit's request, evidence and four-eyes dates inside that month, all from the seeded stream.
 */
import type { Evidence, ExitReason } from '#domain/exits.ts';
import { between, pad2, type Random, seededUuid, shanghaiInstant } from './random.ts';
import type { DemoExit, DemoListing } from './types.ts';

/** A listing still listed, with its weight in the draw of exits. */
export interface Placed {
  readonly listing: DemoListing;
  readonly weight: number;
}

/** Gone subjects leave first (on the exit list, evidence at hand); unreachable ones last (constraint list). */
export function exitWeight(listing: DemoListing): number {
  if (listing.registrationStatus === 'suspended' || listing.flags.lostContact === true) return 0.5;
  return listing.registrationStatus === 'active' ? 1.5 : 5;
}

/** `count` of the pool by weight, without replacement (Efraimidis–Spirakis keys). */
export function chooseExits(random: Random, pool: readonly Placed[], count: number) {
  const keyed = pool.map((placed) => ({ placed, key: random() ** (1 / placed.weight) }));
  keyed.sort((a, b) => b.key - a.key);
  return {
    chosen: keyed.slice(0, count).map(({ placed }) => placed.listing),
    kept: keyed.slice(count).map(({ placed }) => placed),
  };
}

function exitReasonOf(random: Random, listing: DemoListing): { reason: ExitReason; evidence: Evidence } {
  const year = listing.writtenAt.slice(0, 4);
  const number = between(random, 1, 999);
  if (listing.registrationStatus === 'deregistered')
    return {
      reason: 'deregistered',
      evidence: { kind: 'registry-record', ref: `石市监注销字〔${year}〕第${number}号` },
    };
  if (listing.registrationStatus === 'moved-out')
    return {
      reason: 'moved-out',
      evidence: { kind: 'registry-record', ref: `石市监迁字〔${year}〕第${number}号` },
    };
  if (random() < 0.5)
    return {
      reason: 'credit-repaired',
      evidence: { kind: 'repair-decision', ref: `冀信修〔${year}〕第${number}号` },
    };
  return {
    reason: 'obligations-performed',
    evidence: { kind: 'payment-proof', ref: `缴款凭证${year}${number}` },
  };
}

/** An exit inside `month`: effective, submitted, reviewed and confirmed on days of that month. */
export function exitOf(random: Random, month: string, listing: DemoListing): DemoExit {
  const submitDay = between(random, 2, 22);
  const reviewDay = submitDay + between(random, 1, 3);
  const confirmDay = reviewDay + between(random, 0, 3);
  const effectiveDate = `${month}-${pad2(between(random, 1, submitDay))}`;
  const { reason, evidence } = exitReasonOf(random, listing);
  return {
    exitId: seededUuid(random),
    uscc: listing.uscc,
    listType: listing.listType,
    key: listing.key,
    department: listing.department,
    district: listing.district,
    request: {
      reason,
      effectiveDate,
      evidence: [evidence],
      publicationRevoked: {
        system: listing.listType === 'court-debtor' ? '中国执行信息公开网' : '信用中国（河北石家庄）',
        date: `${month}-${pad2(submitDay)}`,
      },
    },
    submittedAt: shanghaiInstant(`${month}-${pad2(submitDay)}`, 9, between(random, 0, 59)),
    reviewedAt: shanghaiInstant(`${month}-${pad2(reviewDay)}`, 14, between(random, 0, 59)),
    confirmedAt: shanghaiInstant(`${month}-${pad2(confirmDay)}`, 16, between(random, 0, 59)),
  };
}
