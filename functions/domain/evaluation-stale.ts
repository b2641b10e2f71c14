/**
 * Whether a stored evaluation snapshot still matches the data: the figures a rerun must reproduce, and
 * a Chinese sentence naming what moved when they differ. Pure.
 */
import type { EvaluationSnapshot } from './evaluation.ts';

/**
 * The figures a rerun must reproduce from the same data: the numerators, denominators, flows and
 * changes, not the counts as at the run (active listings by list and list type move with every
 * import) nor what the campaign makes of them.
 */
export function dataFigures(snapshot: EvaluationSnapshot) {
  return {
    city: {
      numerator: snapshot.city.numerator,
      denominator: snapshot.city.denominator,
      flows: snapshot.city.flows,
      monthOnMonth: snapshot.city.monthOnMonth,
    },
    districts: snapshot.districts.map((d) => ({
      district: d.district,
      numerator: d.numerator,
      denominator: d.denominator,
      denominatorMonth: d.denominatorMonth,
      flows: d.flows,
      change: d.change,
    })),
    unassigned: snapshot.unassigned,
    benchmark: snapshot.benchmark ?? null,
  };
}

/** JSON with the keys of every object sorted: a stored map comes back from the table in any order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}

/**
 * Why a stored snapshot no longer matches the data (a Chinese sentence naming what moved), or
 * undefined when a rerun would give the same figures.
 */
export function staleReason(stored: EvaluationSnapshot, fresh: EvaluationSnapshot): string | undefined {
  const before = dataFigures(stored);
  const after = dataFigures(fresh);
  if (canonical(before) === canonical(after)) return undefined;
  const moved: string[] = [];
  for (const [index, row] of after.districts.entries()) {
    const old = before.districts[index];
    if (old === undefined) continue;
    const name = fresh.districts[index]?.name ?? row.district;
    if (old.numerator !== row.numerator) moved.push(`${name}失信企业数 ${old.numerator}→${row.numerator}`);
    if (old.denominator !== row.denominator || old.denominatorMonth !== row.denominatorMonth) {
      moved.push(
        `${name}法人企业数 ${old.denominator ?? '无'}（${old.denominatorMonth ?? '—'}）→${row.denominator ?? '无'}（${row.denominatorMonth ?? '—'}）`,
      );
    }
  }
  if (canonical(before.benchmark) !== canonical(after.benchmark)) moved.push('对标数据');
  if (before.unassigned !== after.unassigned)
    moved.push(`未落区主体 ${before.unassigned}→${after.unassigned}`);
  const what = moved.length > 0 ? moved.slice(0, 5).join('；') : '上月或本月的数据';
  return `${stored.month} 评估后，涉及该月的数据有变动（${what}${moved.length > 5 ? '等' : ''}），请重新评估`;
}
