/**
 * `GET` and `PUT /campaigns/current`: the default campaign until the city changes it, every change a new
 * version made on the version read and carrying its reason, the rule table kept or replaced, and the
 * evaluation judged against the campaign in force.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CAMPAIGN } from '#domain/evaluation.ts';
import { DEFAULT_RULE_TABLE } from '#domain/rule-table.ts';
import { silentLogger } from '#shared/logger.ts';
import { runEvaluation } from '#storage/evaluation-run.ts';
import { ITEM_TYPES, keys } from '#storage/keys.ts';
import type { StoreDeps } from '#storage/subject-store.ts';
import { readRuleTable } from '#storage/triage-store.ts';
import { createApiHandler } from '../../functions/api/create-handler.ts';
import { createTestTable } from '../support/dynamo.ts';
import { claims, httpEvent, testContext } from '../support/http-events.ts';

type Result = { statusCode: number; body: string };
let api: (event: unknown, context: unknown) => Promise<Result>;
let deps: StoreDeps;

const { version: _version, ...defaultCampaign } = DEFAULT_CAMPAIGN;

async function call(method: 'GET' | 'PUT', who: Record<string, string>, body?: unknown) {
  const result = await api(
    httpEvent({
      routeKey: `${method} /campaigns/current`,
      path: '/campaigns/current',
      claims: who,
      ...(body === undefined ? {} : { body }),
    }),
    testContext,
  );
  return { status: result.statusCode, body: JSON.parse(result.body) };
}

beforeAll(async () => {
  const table = await createTestTable('campaigns');
  deps = {
    client: table.documentClient,
    tableName: table.tableName,
    clock: { now: () => new Date('2026-05-10T02:00:00Z') },
  };
  const handler = createApiHandler({
    store: deps,
    drop: () => {
      throw new Error('no drop folder in this test');
    },
    queue: () => undefined,
  });
  api = (event, context) => handler(event as never, context as never) as Promise<Result>;
  // a rule table stored before campaigns were versioned, as triage's tests and older data have it
  await deps.client.send(
    new PutCommand({
      TableName: deps.tableName,
      Item: {
        ...keys.campaign('current'),
        type: ITEM_TYPES.campaign,
        ruleTable: { ...DEFAULT_RULE_TABLE, version: 'stored-1' },
      },
    }),
  );
});

describe('the current campaign', () => {
  it('is the plan’s campaign, version 1, until the city changes it; a district office may read it', async () => {
    // Act
    const city = await call('GET', claims.city);
    const district = await call('GET', claims.district('130102'));
    // Assess
    expect(city.status).toBe(200);
    expect(city.body).toMatchObject({ version: 1, campaign: defaultCampaign, ruleTableVersion: 'stored-1' });
    expect(district.body.version).toBe(1);
    expect((await call('GET', claims.department('长安区人民法院'))).status).toBe(403);
  });

  it('takes a change made on the version read, with its reason, keeping the stored rule table', async () => {
    // Act
    const changed = await call('PUT', claims.city, {
      version: 1,
      campaign: { ...defaultCampaign, targetRatio: 0.008, namedCount: 5 },
      reason: '第二轮专项治理目标调整为0.8%',
    });
    const stored = await deps.client.send(
      new GetCommand({ TableName: deps.tableName, Key: keys.campaign('current') }),
    );
    // Assess
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ version: 2, campaign: { targetRatio: 0.008, namedCount: 5 } });
    expect(stored.Item?.changedBy).toMatchObject({
      principal: 'city-officer',
      reason: '第二轮专项治理目标调整为0.8%',
    });
    expect((await readRuleTable(deps)).version).toBe('stored-1');
    expect((await call('GET', claims.city)).body.version).toBe(2);
  });

  it('refuses a change made on an older version, by anyone but the city, or without a reason', async () => {
    // Act
    const stale = await call('PUT', claims.city, {
      version: 1,
      campaign: defaultCampaign,
      reason: '旧版本上的修改',
    });
    const district = await call('PUT', claims.district('130102'), {
      version: 2,
      campaign: defaultCampaign,
      reason: '区县不能改',
    });
    const noReason = await call('PUT', claims.city, { version: 2, campaign: defaultCampaign });
    // Assess
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('campaign-version');
    expect(district.status).toBe(403);
    expect(noReason.status).toBe(400);
    expect((await call('GET', claims.city)).body.version).toBe(2);
  });

  it('validates the campaign: dates, ratio, prefixes, milestone references', async () => {
    const bad = [
      { ...defaultCampaign, targetRatio: 1.5 },
      { ...defaultCampaign, scopePrefixes: ['9'] },
      {
        ...defaultCampaign,
        phases: [{ id: 'plan', label: '制定措施', from: '2022-11-15', to: '2022-10-31' }],
      },
      {
        ...defaultCampaign,
        milestones: [
          { id: 'x', label: '比较', due: '2023-06-30', rule: { kind: 'below-month', reference: '2023-12' } },
        ],
      },
    ];
    for (const campaign of bad) {
      const answer = await call('PUT', claims.city, { version: 2, campaign, reason: '校验' });
      expect(answer.status, JSON.stringify(campaign)).toBe(400);
    }
  });

  it('replaces the rule table when one is given, and refuses an invalid one', async () => {
    // Act
    const invalid = await call('PUT', claims.city, {
      version: 2,
      campaign: defaultCampaign,
      ruleTable: { version: 'broken', rules: [] },
      reason: '新规则表',
    });
    const valid = await call('PUT', claims.city, {
      version: 2,
      campaign: defaultCampaign,
      ruleTable: { ...DEFAULT_RULE_TABLE, version: 'city-2' },
      reason: '新规则表',
    });
    // Assess
    expect(invalid.status).toBe(400);
    expect(valid.status).toBe(200);
    expect(valid.body).toMatchObject({ version: 3, ruleTableVersion: 'city-2' });
    expect((await readRuleTable(deps)).version).toBe('city-2');
  });

  it('is what the evaluation is judged against, a second campaign being configuration only', async () => {
    // Prepare
    await call('PUT', claims.city, {
      version: 3,
      campaign: {
        ...defaultCampaign,
        name: '第二轮专项治理',
        targetRatio: 0.005,
        milestones: [
          { id: 'half', label: '占比降至0.5%以下', due: '2026-03-31', rule: { kind: 'below-target' } },
        ],
      },
      reason: '第二轮',
    });
    // Act
    const { snapshot } = await runEvaluation({ store: deps, logger: silentLogger }, '2026-04', {
      principal: 'test',
      role: 'city',
      cause: { kind: 'system', id: 'campaign-test' },
    });
    // Assess
    expect(snapshot.inputs).toMatchObject({ campaignVersion: 4, ruleTableVersion: 'city-2' });
    expect(snapshot.campaign).toMatchObject({ name: '第二轮专项治理', targetRatio: 0.005 });
    expect(snapshot.milestones.map((m) => m.id)).toEqual(['half']);
  });
});
