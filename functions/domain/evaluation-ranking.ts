/**
 * The ranking of the monthly evaluation: districts by ratio and change over the month, and the best and
 * worst named in the snapshot. Pure.
 */

/** Rounds away the last bits of floating error, so equal fractions compare equal. */
function comparable(value: number | null): number {
  return value === null ? 0 : Math.round(value * 1e12) / 1e12;
}

/**
 * Ranks by ratio (1 = lowest), then by the larger decrease over the month (an unknown change counts as
 * none); districts equal on both share a rank. Districts without a ratio are not ranked.
 */
export function rankDistricts(
  rows: readonly { district: string; ratio: number | null; ratioChange: number | null }[],
): Map<string, number> {
  const ranked = rows
    .filter(
      (row): row is { district: string; ratio: number; ratioChange: number | null } => row.ratio !== null,
    )
    .sort(
      (a, b) =>
        comparable(a.ratio) - comparable(b.ratio) ||
        comparable(a.ratioChange) - comparable(b.ratioChange) ||
        a.district.localeCompare(b.district),
    );
  const ranks = new Map<string, number>();
  ranked.forEach((row, index) => {
    const previous = ranked[index - 1];
    const tied =
      previous !== undefined &&
      comparable(previous.ratio) === comparable(row.ratio) &&
      comparable(previous.ratioChange) === comparable(row.ratioChange);
    ranks.set(row.district, tied ? (ranks.get(previous.district) ?? index + 1) : index + 1);
  });
  return ranks;
}

/** The best and the worst `count` ranked districts (worst first), never naming one district as both. */
export function named(ranks: ReadonlyMap<string, number>, count: number) {
  const order = [...ranks.entries()].sort((a, b) => a[1] - b[1]).map(([district]) => district);
  const best = order.slice(0, count);
  const worst = order.slice(count).reverse().slice(0, count);
  return { best, worst };
}
