/**
 * Which rows go into one transaction. DynamoDB takes at most 100 actions per transaction, and on
 * DynamoDB Local (and in the cloud, by price) a transaction costs about the same whatever it holds, so
 * groups are filled close to the limit. Rows of one subject stay together (one subject item per
 * transaction); subjects are ordered by district so that a group moves few district counters. Pure and
 * deterministic: a retried worker plans the same groups from the same rows.
 */
import { type ReadyRow, usccOf } from './ready-row.ts';

/** Actions a group may plan for; the rest of the 100 is slack for counters we cannot foresee. */
export const GROUP_ACTION_BUDGET = 92;
/** Counter and monthly-flow updates per district a group touches. */
const ACTIONS_PER_DISTRICT = 2;

interface Unit {
  readonly district: string;
  readonly order: number;
  readonly rows: ReadyRow[];
  /** The subject and its listings (the audit entry is written after the commit, outside it). */
  readonly actions: number;
  /** Districts whose counters the unit may move: a registry row may move a subject between two. */
  readonly districts: number;
}

function unitKey(row: ReadyRow): string {
  return row.kind === 'count' ? `C#${row.month}#${row.district}` : `S#${usccOf(row)}`;
}

function unitDistrict(row: ReadyRow): string {
  if (row.kind === 'listing') return row.subject.district;
  if (row.kind === 'registry') return row.facts.district ?? '';
  return row.district;
}

export function planGroups(rows: readonly ReadyRow[], budget = GROUP_ACTION_BUDGET): ReadyRow[][] {
  const units = new Map<string, { district: string; order: number; rows: ReadyRow[] }>();
  for (const row of rows) {
    const key = unitKey(row);
    const unit = units.get(key);
    if (unit === undefined) units.set(key, { district: unitDistrict(row), order: units.size, rows: [row] });
    else unit.rows.push(row);
  }
  const sized: Unit[] = [...units.values()].map((unit) => {
    const first = unit.rows[0] as ReadyRow;
    const listings = unit.rows.filter((row) => row.kind === 'listing').length;
    return {
      ...unit,
      actions: first.kind === 'count' ? unit.rows.length : 1 + listings,
      districts: unit.rows.some((row) => row.kind === 'registry') ? 2 : 1,
    };
  });
  sized.sort((a, b) => a.district.localeCompare(b.district) || a.order - b.order);

  const groups: ReadyRow[][] = [];
  let current: ReadyRow[] = [];
  let actions = 0;
  let districts = new Set<string>();
  let extraDistricts = 0;
  for (const unit of sized) {
    const addsDistrict = districts.has(unit.district) ? 0 : 1;
    const projected =
      actions +
      unit.actions +
      ACTIONS_PER_DISTRICT * (districts.size + addsDistrict + extraDistricts + (unit.districts - 1));
    if (current.length > 0 && projected > budget) {
      groups.push(current);
      current = [];
      actions = 0;
      districts = new Set();
      extraDistricts = 0;
    }
    current.push(...unit.rows);
    actions += unit.actions;
    districts.add(unit.district);
    extraDistricts += unit.districts - 1;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}
