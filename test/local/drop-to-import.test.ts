import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Event, SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createDropWatcher } from '../../local/drop-watcher.ts';
import { localPaths } from '../../local/paths.ts';
import { createImportQueue } from '../../local/queue.ts';

/** The folder of an API upload (`incoming/<source>/<importId>/<file>`). */
const UPLOAD_ID = '0b6e3c1a-5f2d-4e8b-9c7a-1d2e3f4a5b6c';

describe('drop folder to import worker', () => {
  it('delivers one SQS event whose S3 key decodes to the dropped file', async () => {
    // Prepare
    const paths = localPaths(await mkdtemp(join(tmpdir(), 'cg-pipeline-')));
    const delivered: SQSEvent[] = [];
    const queue = createImportQueue({
      queueDir: paths.queue,
      handler: async (event) => {
        delivered.push(event);
        return { batchItemFailures: [] };
      },
      pollIntervalMs: 5,
    });
    const watcher = createDropWatcher({
      dropDir: paths.dropbox,
      bucketName: 'local-dropbox',
      enqueue: (body) => queue.enqueue(body),
    });
    const folder = join(paths.incoming, 'court', UPLOAD_ID);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, '失信被执行人 名单+补充.csv'), 'x\n');
    // Act
    queue.start();
    await watcher.pollOnce();
    await watcher.pollOnce();
    await watcher.pollOnce();
    await queue.idle();
    await queue.stop();
    // Assess
    expect(delivered).toHaveLength(1);
    const notification = JSON.parse(delivered[0]?.Records[0]?.body ?? '') as S3Event;
    const encoded = notification.Records[0]?.s3.object.key ?? '';
    expect(encoded).not.toContain(' ');
    expect(decodeURIComponent(encoded.replaceAll('+', ' '))).toBe(
      `incoming/court/${UPLOAD_ID}/失信被执行人 名单+补充.csv`,
    );
  });
});
