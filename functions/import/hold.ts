/**
 * Whether a full push is held before anything is written: it would flag as missing too large a share of
 * its scope's active listings. Pure: the figures in, the decision and the receipt's figures out.
 */
import type { ImportDiff } from './model.ts';

/** What the diff of a full push counted, before anything is written. */
export interface DiffCounts {
  readonly scope: string;
  readonly activeBefore: number;
  readonly missing: number;
}

/** Held, with why (Chinese, for the receipt and the city's release page), or let through; with the figures. */
export type HoldDecision =
  | { readonly hold: false; readonly diff: ImportDiff }
  | { readonly hold: true; readonly diff: ImportDiff; readonly message: string };

/** The share of active listings a push lacks; 0 when its scope has none. */
export function missingShare(activeBefore: number, missing: number): number {
  return activeBefore === 0 ? 0 : missing / activeBefore;
}

/** Holds a push whose missing share is over the threshold, unless the city released it already. */
export function decideHold(counts: DiffCounts, threshold: number, released: boolean): HoldDecision {
  const share = missingShare(counts.activeBefore, counts.missing);
  const diff: ImportDiff = {
    scope: counts.scope,
    activeBefore: counts.activeBefore,
    missing: counts.missing,
    share,
    threshold,
  };
  if (released || share <= threshold) return { hold: false, diff };
  return {
    hold: true,
    diff,
    message: `本次推送缺少 ${counts.missing} 条原有效名单（占 ${(100 * share).toFixed(1)}%，超过 ${(100 * threshold).toFixed(0)}% 的阈值），已暂停导入，请市信用办核实后确认放行`,
  };
}
