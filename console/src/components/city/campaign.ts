/**
 * The campaign as `GET /campaigns/current` answers it and `PUT` takes it (functions/api/routes/
 * campaigns.ts), and the form's copy of it: the target as a percentage, the prefixes as text.
 */
import type { Campaign, CampaignMilestone, CampaignPhase } from '../../../../functions/domain/evaluation.ts';

export type CampaignBody = Omit<Campaign, 'version'>;

export interface CurrentCampaign {
  readonly version: number;
  readonly campaign: CampaignBody;
  readonly ruleTableVersion: string;
  readonly updatedAt?: string;
}

export type RuleKind = CampaignMilestone['rule']['kind'];

export const RULE_LABELS: Readonly<Record<RuleKind, string>> = {
  'below-target': '全市占比低于目标',
  'below-benchmark': '全市占比低于省会及副省级城市平均',
  'below-month': '全市占比低于某月',
};

export interface MilestoneDraft {
  id: string;
  label: string;
  due: string;
  kind: RuleKind;
  reference: string;
}

export interface CampaignDraft {
  name: string;
  targetPercent: number;
  namedCount: number;
  prefixes: string;
  phases: CampaignPhase[];
  milestones: MilestoneDraft[];
}

export function draftOf(campaign: CampaignBody): CampaignDraft {
  return {
    name: campaign.name,
    targetPercent: Math.round(campaign.targetRatio * 100_000) / 1000,
    namedCount: campaign.namedCount,
    prefixes: campaign.scopePrefixes.join('、'),
    phases: campaign.phases.map((phase) => ({ ...phase })),
    milestones: campaign.milestones.map((milestone) => ({
      id: milestone.id,
      label: milestone.label,
      due: milestone.due,
      kind: milestone.rule.kind,
      reference: milestone.rule.kind === 'below-month' ? milestone.rule.reference : '',
    })),
  };
}

export function campaignOf(draft: CampaignDraft): CampaignBody {
  return {
    name: draft.name.trim(),
    targetRatio: draft.targetPercent / 100,
    namedCount: draft.namedCount,
    scopePrefixes: draft.prefixes
      .split(/[\s,，、;；]+/)
      .map((prefix) => prefix.trim().toUpperCase())
      .filter((prefix) => prefix !== ''),
    phases: draft.phases.map((phase) => ({ ...phase, label: phase.label.trim() })),
    milestones: draft.milestones.map(({ id, label, due, kind, reference }) => ({
      id,
      label: label.trim(),
      due,
      rule: kind === 'below-month' ? { kind, reference } : { kind },
    })),
  };
}

/** A new row's id: the API wants lower-case letters, digits and dashes, unique in the list. */
export function freshId(prefix: string, taken: readonly { id: string }[]): string {
  let n = taken.length + 1;
  while (taken.some((row) => row.id === `${prefix}-${n}`)) n += 1;
  return `${prefix}-${n}`;
}
