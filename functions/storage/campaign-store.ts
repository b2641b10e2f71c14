/**
 * The current campaign's configuration: one item (`keys.campaign('current')`) holding the campaign the
 * evaluation is judged against and the rule table triage reads (triage-store.ts `readRuleTable`). Every
 * change increments `version`, conditioned on the version the caller read, and carries `changedBy`, so the
 * trail records each version.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Campaign, DEFAULT_CAMPAIGN } from '#domain/evaluation.ts';
import type { RuleTable } from '#domain/rule-table.ts';
import { parseRuleTable } from '#domain/rule-table-schema.ts';
import type { ChangedBy } from '#domain/trail.ts';
import { isConditionFailed } from './errors.ts';
import { ITEM_TYPES, keys } from './keys.ts';
import type { StoreDeps } from './subject-store.ts';
import { CURRENT_CAMPAIGN } from './triage-store.ts';

/** The version the built-in campaign counts as while nobody has changed it. */
const DEFAULT_VERSION = DEFAULT_CAMPAIGN.version;

export interface StoredCampaign {
  readonly campaign: Campaign;
  /** The rule table stored with it; undefined while triage uses the built-in one. */
  readonly ruleTable: RuleTable | undefined;
  readonly changedBy?: ChangedBy;
  readonly updatedAt?: string;
}

/** Another change landed between the caller's read and its write. */
export class CampaignVersionError extends Error {
  constructor(readonly expected: number) {
    super(`the campaign is no longer at version ${expected}`);
    this.name = 'CampaignVersionError';
  }
}

/** The current campaign, or the plan's default (version 1) while none was stored. */
export async function readCampaign(deps: Pick<StoreDeps, 'client' | 'tableName'>): Promise<StoredCampaign> {
  const result = await deps.client.send(
    new GetCommand({ TableName: deps.tableName, Key: keys.campaign(CURRENT_CAMPAIGN), ConsistentRead: true }),
  );
  const item = result.Item;
  const version = typeof item?.version === 'number' ? item.version : DEFAULT_VERSION;
  const stored = item?.campaign as Omit<Campaign, 'version'> | undefined;
  return {
    campaign: { ...(stored ?? DEFAULT_CAMPAIGN), version },
    ruleTable: item?.ruleTable === undefined ? undefined : parseRuleTable(item.ruleTable),
    ...(item?.changedBy === undefined ? {} : { changedBy: item.changedBy as ChangedBy }),
    ...(typeof item?.updatedAt === 'string' ? { updatedAt: item.updatedAt } : {}),
  };
}

/**
 * Writes the next version of the campaign (and of the rule table, when given; otherwise the stored one
 * stays), if the stored version is still `expectedVersion`. Throws {@link CampaignVersionError} if not.
 */
export async function writeCampaign(
  deps: Pick<StoreDeps, 'client' | 'tableName' | 'clock'>,
  change: {
    readonly expectedVersion: number;
    readonly campaign: Omit<Campaign, 'version'>;
    readonly ruleTable?: RuleTable;
    readonly changedBy: ChangedBy;
  },
): Promise<Campaign> {
  const version = change.expectedVersion + 1;
  const values: Record<string, unknown> = {
    ':type': ITEM_TYPES.campaign,
    ':campaign': change.campaign,
    ':version': version,
    ':expected': change.expectedVersion,
    ':changedBy': change.changedBy,
    ':at': deps.clock.now().toISOString(),
  };
  const sets = [
    '#type = :type',
    'campaign = :campaign',
    'version = :version',
    'changedBy = :changedBy',
    'updatedAt = :at',
  ];
  if (change.ruleTable !== undefined) {
    sets.push('ruleTable = :ruleTable');
    values[':ruleTable'] = change.ruleTable;
  }
  // An item without a version (a rule table written before campaigns were versioned) is the default's.
  const unversioned = change.expectedVersion === DEFAULT_VERSION ? 'attribute_not_exists(version) OR ' : '';
  try {
    await deps.client.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: keys.campaign(CURRENT_CAMPAIGN),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: `${unversioned}version = :expected`,
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: values,
      }),
    );
  } catch (error) {
    if (isConditionFailed(error)) throw new CampaignVersionError(change.expectedVersion);
    throw error;
  }
  return { ...change.campaign, version };
}
