import { appendFile, mkdir, mkdtemp, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Event } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createDropWatcher } from '../../local/drop-watcher.ts';

async function prepare() {
  const dropDir = await mkdtemp(join(tmpdir(), 'cg-drop-'));
  const bodies: string[] = [];
  const watcher = createDropWatcher({
    dropDir,
    bucketName: 'local-dropbox',
    enqueue: async (body) => {
      bodies.push(body);
    },
  });
  const source = join(dropDir, 'incoming', 'push');
  await mkdir(source, { recursive: true });
  return { dropDir, source, bodies, watcher };
}

describe('drop-folder watcher', () => {
  it('announces a file once its size and time hold still, and only once', async () => {
    // Prepare
    const { source, bodies, watcher } = await prepare();
    await writeFile(join(source, '名单 2022.csv'), 'uscc,name\n');
    // Act
    const first = await watcher.pollOnce();
    const second = await watcher.pollOnce();
    const third = await watcher.pollOnce();
    // Assess
    expect(first).toEqual([]);
    expect(second).toEqual(['incoming/push/名单 2022.csv']);
    expect(third).toEqual([]);
    expect(bodies).toHaveLength(1);
    const event = JSON.parse(bodies[0] ?? '') as S3Event;
    expect(event.Records).toHaveLength(1);
    expect(event.Records[0]).toMatchObject({
      eventSource: 'aws:s3',
      eventName: 'ObjectCreated:Put',
      s3: {
        bucket: { name: 'local-dropbox', arn: 'arn:aws:s3:::local-dropbox' },
        object: {
          key: 'incoming/push/%E5%90%8D%E5%8D%95+2022.csv',
          size: 10,
          eTag: expect.stringMatching(/^[0-9a-f]{32}$/),
        },
      },
    });
  });

  it('waits while a file still grows', async () => {
    // Prepare
    const { source, bodies, watcher } = await prepare();
    const file = join(source, 'growing.csv');
    await writeFile(file, 'a\n');
    await watcher.pollOnce();
    // Act
    await appendFile(file, 'b\n');
    const whileGrowing = await watcher.pollOnce();
    const settled = await watcher.pollOnce();
    // Assess
    expect(whileGrowing).toEqual([]);
    expect(settled).toEqual(['incoming/push/growing.csv']);
    expect(bodies).toHaveLength(1);
  });

  it('ignores dotfiles, dot-folders and files outside a source folder; sees nested import folders', async () => {
    // Prepare
    const { dropDir, source, watcher } = await prepare();
    await writeFile(join(source, '.partial.csv'), 'x');
    await mkdir(join(source, '.tmp'), { recursive: true });
    await writeFile(join(source, '.tmp', 'upload'), 'x');
    await writeFile(join(dropDir, 'incoming', 'loose.csv'), 'x');
    await mkdir(join(source, 'imp-1'), { recursive: true });
    await writeFile(join(source, 'imp-1', 'list.xlsx'), 'x');
    // Act
    await watcher.pollOnce();
    const announced = await watcher.pollOnce();
    // Assess
    expect(announced).toEqual(['incoming/push/imp-1/list.xlsx']);
  });

  it('announces a file again once it has left incoming/ and come back', async () => {
    // Prepare
    const { dropDir, source, bodies, watcher } = await prepare();
    const file = join(source, 'again.csv');
    await writeFile(file, 'a\n');
    await watcher.pollOnce();
    await watcher.pollOnce();
    // Act
    await rename(file, join(dropDir, 'again.csv'));
    await watcher.pollOnce();
    await rename(join(dropDir, 'again.csv'), file);
    await watcher.pollOnce();
    await watcher.pollOnce();
    // Assess
    expect(bodies).toHaveLength(2);
  });
});
