/**
 * No local stand-in ships to the cloud: each job's entry is bundled as the stack bundles it, and neither
 * its modules nor its code hold anything of the one-machine runtime (`local/`, the upload route, the
 * variables that used to point handlers at folders and DynamoDB Local).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/constructs/job-function.ts';
import { JOB_ENTRIES, type JobName } from '../../lib/credit-governance-stack.ts';
import { bundleJob } from '../../scripts/lambda-bundles.ts';

/** Strings only local code would bring into a bundle. */
const LOCAL_MARKERS = [
  '/_local/drop/',
  'LOCAL_DROP_DIR',
  'LOCAL_QUEUE_DIR',
  'LOCAL_BASE_URL',
  'DYNAMODB_ENDPOINT',
];

// A job whose handler another session is still writing has no entry yet; the stack test stubs it.
const JOBS = (Object.keys(JOB_ENTRIES) as JobName[]).filter((job) =>
  existsSync(join(PROJECT_ROOT, JOB_ENTRIES[job])),
);

describe('Lambda bundles', () => {
  it('bundles the import worker and the API, at least', () => {
    expect(JOBS).toEqual(expect.arrayContaining(['import', 'api']));
  });

  it.each(JOBS)('%s holds no module of local/ and nothing of the local runtime', async (job) => {
    // Act
    const bundle = await bundleJob(job);
    // Assess
    expect(bundle.inputs).toContain(JOB_ENTRIES[job]);
    expect(bundle.inputs.filter((input) => input.startsWith('local/'))).toEqual([]);
    expect(LOCAL_MARKERS.filter((marker) => bundle.code.includes(marker))).toEqual([]);
  });
});
