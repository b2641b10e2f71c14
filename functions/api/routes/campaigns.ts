/**
 * The campaign the evaluation is judged against, as configuration (docs/rules.md, Monthly evaluation): `GET` and `PUT
 * /campaigns/current` by the city. Every change names the version it was made on and a reason, and
 * increments the version; the item also holds the rule table triage reads, which a PUT may replace
 * (the table's stream then re-triages every listing under the new version).
 */
import * as z from 'zod';
import { isIsoDate } from '#domain/calendar-dates.ts';
import type { Campaign } from '#domain/evaluation.ts';
import { DEFAULT_RULE_TABLE, type RuleTable } from '#domain/rule-table.ts';
import { InvalidRuleTableError, parseRuleTable } from '#domain/rule-table-schema.ts';
import { requestActor } from '#shared/changed-by.ts';
import { ConflictError, ValidationError } from '#shared/errors.ts';
import { defineRoute } from '#shared/http/route.ts';
import { CampaignVersionError, readCampaign, writeCampaign } from '#storage/campaign-store.ts';
import type { ApiDeps } from '../deps.ts';

const isoDate = z.string().refine(isIsoDate, '日期应为 yyyy-mm-dd');
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份应为 yyyy-mm');
const chinese = z.string().trim().min(1).max(100);

const phaseSchema = z
  .object({ id: z.string().regex(/^[a-z0-9-]{1,40}$/), label: chinese, from: isoDate, to: isoDate })
  .refine((phase) => phase.from <= phase.to, '阶段的开始日期不能晚于结束日期');

const milestoneSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,40}$/),
  label: chinese,
  due: isoDate.describe('judged on the figures at the end of this day’s month'),
  rule: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('below-target') }),
    z.object({ kind: z.literal('below-benchmark') }),
    z.object({ kind: z.literal('below-month'), reference: month }),
  ]),
});

/** A campaign as the city writes it (without its version, which the store keeps). */
export const campaignSchema = z
  .object({
    name: chinese,
    phases: z.array(phaseSchema).max(20),
    targetRatio: z.number().gt(0).lt(1).describe('0.01 = 1%'),
    milestones: z
      .array(milestoneSchema)
      .max(20)
      .refine((list) => new Set(list.map((m) => m.id)).size === list.length, '里程碑编号不能重复'),
    scopePrefixes: z
      .array(z.string().regex(/^[0-9A-HJ-NPQRTUWXY]{2}$/, '范围前缀应为统一社会信用代码的前两位，如 91'))
      .min(1)
      .max(10)
      .describe('USCC prefixes counted in the numerator; 91 = enterprises'),
    namedCount: z.number().int().min(1).max(12).describe('districts named as best and as worst'),
  })
  .refine(
    (campaign) =>
      campaign.milestones.every((m) => m.rule.kind !== 'below-month' || m.rule.reference < m.due.slice(0, 7)),
    '“低于某月”的参照月份应早于里程碑所在月份',
  );

const putSchema = z
  .object({
    version: z.number().int().min(1).describe('the version this change was made on (from GET)'),
    campaign: campaignSchema,
    ruleTable: z
      .unknown()
      .optional()
      .describe('a new rule table for triage (docs/rules.md); absent: the stored one stays'),
    reason: z.string().trim().min(1).max(500).describe('why, for the trail'),
  })
  .meta({ id: 'CampaignChange' });
type PutBody = z.infer<typeof putSchema>;

const responseSchema = z
  .object({
    version: z.number().int(),
    campaign: z.looseObject({}),
    ruleTableVersion: z.string().describe('the rule table triage applies'),
    updatedAt: z.string().optional(),
  })
  .meta({ id: 'CurrentCampaign' });

function view(campaign: Campaign, ruleTableVersion: string, updatedAt?: string) {
  const { version, ...rest } = campaign;
  return { version, campaign: rest, ruleTableVersion, ...(updatedAt === undefined ? {} : { updatedAt }) };
}

export const getCampaignRoute = defineRoute<ApiDeps, unknown, unknown, unknown>({
  method: 'GET',
  path: '/campaigns/current',
  summary: 'The current campaign: phases, target, milestones, numerator scope, and its version',
  tags: ['evaluation'],
  roles: ['city', 'district'],
  response: responseSchema,
  errors: [401, 403],
  handle: async ({ deps }) => {
    const stored = await readCampaign(deps.store);
    return view(stored.campaign, (stored.ruleTable ?? DEFAULT_RULE_TABLE).version, stored.updatedAt);
  },
});

export const putCampaignRoute = defineRoute<ApiDeps, unknown, unknown, PutBody>({
  method: 'PUT',
  path: '/campaigns/current',
  summary:
    'Change the campaign (and optionally the rule table), made on the version read; answers the new version',
  tags: ['evaluation'],
  roles: ['city'],
  body: putSchema,
  response: responseSchema,
  errors: [400, 403, 409],
  handle: async ({ body, scope, deps, event }) => {
    let ruleTable: RuleTable | undefined;
    try {
      ruleTable = body.ruleTable === undefined ? undefined : parseRuleTable(body.ruleTable);
    } catch (error) {
      if (error instanceof InvalidRuleTableError) throw new ValidationError(error.message, error.issues);
      throw error;
    }
    try {
      const campaign = await writeCampaign(deps.store, {
        expectedVersion: body.version,
        campaign: body.campaign,
        ...(ruleTable === undefined ? {} : { ruleTable }),
        changedBy: requestActor(scope, event.requestContext.requestId, body.reason),
      });
      const stored = await readCampaign(deps.store);
      return view(campaign, (stored.ruleTable ?? DEFAULT_RULE_TABLE).version, stored.updatedAt);
    } catch (error) {
      if (error instanceof CampaignVersionError) {
        throw new ConflictError(
          'campaign-version',
          `方案已被他人修改（不再是第 ${body.version} 版），请重新读取后再改`,
        );
      }
      throw error;
    }
  },
});
