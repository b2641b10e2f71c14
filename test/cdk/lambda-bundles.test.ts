/**
 * No local stand-in ships to the cloud: each job's entry is bundled as the stack bundles it, and neither
 * its modules nor its code hold anything of the one-machine runtime (`local/`, the upload route, the
 * variables that used to point handlers at folders and DynamoDB Local). And every function stays lean:
 * what it loads at a cold start, and each chunk it may load later, is at most 1 MB.
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

/** Bytes a function may load at a cold start, and bytes of any one chunk (issue 12). */
const MAX_BUNDLE_BYTES = 1_000_000;

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

  it.each(JOBS)('%s loads at most 1 MB at a cold start, and no chunk is over 1 MB', async (job) => {
    // Act
    const bundle = await bundleJob(job);
    // Assess
    expect(bundle.initialBytes).toBeLessThanOrEqual(MAX_BUNDLE_BYTES);
    expect(bundle.files.filter((file) => file.bytes > MAX_BUNDLE_BYTES).map((file) => file.path)).toEqual([]);
  });

  it.each(JOBS.filter((job) => job !== 'classify' && job !== 'trail'))(
    '%s loads the XLSX code (exceljs) only on first use',
    async (job) => {
      // Act
      const bundle = await bundleJob(job);
      // Assess
      const initialModules = bundle.files
        .filter((file) => file.initial)
        .flatMap((file) => Object.keys(file.inputs));
      expect(
        initialModules.filter((input) => /node_modules\/(exceljs|unzipper|jszip)\//.test(input)),
      ).toEqual([]);
      expect(bundle.inputs.some((input) => input.startsWith('node_modules/exceljs/'))).toBe(true);
    },
  );

  it('bundles no iconv-lite: GB18030 is decoded by the runtime', async () => {
    const bundle = await bundleJob('import');
    expect(bundle.inputs.filter((input) => input.startsWith('node_modules/iconv-lite/'))).toEqual([]);
  });
});
