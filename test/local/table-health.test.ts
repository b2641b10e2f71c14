import { describe, expect, it } from 'vitest';
import { createDocumentClient } from '#storage/client.ts';
import { tableReachable } from '#storage/table-health.ts';
import { freePort } from '../../local/dynamodb-local.ts';
import { createTestTable } from '../support/dynamo.ts';

describe('table health probe', () => {
  it('finds a table that exists', async () => {
    const table = await createTestTable('health');
    expect(await tableReachable({ client: table.documentClient, tableName: table.tableName }, 2_000)).toBe(
      true,
    );
  });

  it('reports a missing table as unreachable', async () => {
    const table = await createTestTable('health');
    expect(await tableReachable({ client: table.documentClient, tableName: 'no-such-table' }, 2_000)).toBe(
      false,
    );
  });

  it('answers within its deadline when nothing listens, despite the client retrying', async () => {
    // Prepare: a port nobody listens on, and the local client that retries ten times
    const client = createDocumentClient({ endpoint: `http://127.0.0.1:${await freePort()}` });
    const began = Date.now();
    // Act
    const reachable = await tableReachable({ client, tableName: 'credit-governance' }, 500);
    // Assess
    expect(reachable).toBe(false);
    expect(Date.now() - began).toBeLessThan(1_500);
    client.destroy();
  });
});
