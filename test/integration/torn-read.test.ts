import { describe, expect, it } from 'vitest';
import { planExitListing, planRecordListing } from '#domain/changes.ts';
import type { ChangedBy } from '#domain/trail.ts';
import { changeSubject, type StoreDeps } from '#storage/subject-store.ts';
import { expectCountersEqualRecount } from '../support/counters.ts';
import { createTestTable } from '../support/dynamo.ts';
import { makeUscc } from '../support/files.ts';
import { holdFirstSubjectRead } from '../support/held-read.ts';

const actor: ChangedBy = { principal: 'test', role: 'city', cause: { kind: 'system', id: 'torn-read' } };

describe('a change whose reads straddle another writer', () => {
  it('reads again and finds nothing left to do, instead of failing on a negative count', async () => {
    // Prepare: one listed subject
    const table = await createTestTable('torn-read');
    const deps: StoreDeps = {
      client: table.documentClient,
      tableName: table.tableName,
      clock: { now: () => new Date() },
    };
    const uscc = makeUscc(901);
    const ref = { uscc, listType: 'court-debtor' as const, key: '(2026)冀0102执901号' };
    await changeSubject(
      deps,
      uscc,
      ref,
      actor,
      planRecordListing(
        { uscc, name: '石家庄测试商贸有限公司901', district: '130102', districtSource: 'column' },
        { listType: 'court-debtor', key: ref.key, department: '长安区人民法院', source: 'court' },
        () => undefined,
      ),
    );
    // the loser's first read of the subject waits until the winner has committed; its listing read does not
    const { client, release } = holdFirstSubjectRead(deps.client);

    // Act
    const lost = changeSubject(
      { ...deps, client },
      uscc,
      ref,
      actor,
      planExitListing('obligations-performed'),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const won = await changeSubject(deps, uscc, ref, actor, planExitListing('obligations-performed'));
    release();

    // Assess
    expect(won.changed).toBe(true);
    expect(await lost).toMatchObject({ changed: false, listing: { status: 'exited' } });
    await expectCountersEqualRecount(deps);
  });
});
