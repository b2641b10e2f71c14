import {
  appendFile,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rename,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Event } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createDropWatcher } from '../../local/drop-watcher.ts';

/** The folder of an API upload: `incoming/<source>/<importId>/<file>`. */
const UPLOAD_ID = '3f1c2a7e-8b4d-4c2a-9e1f-5a6b7c8d9e0f';

async function prepare() {
  const dropDir = await mkdtemp(join(tmpdir(), 'cg-drop-'));
  const bodies: string[] = [];
  const lines: string[] = [];
  const watcher = createDropWatcher({
    dropDir,
    bucketName: 'local-dropbox',
    enqueue: async (body) => {
      bodies.push(body);
    },
    log: (line) => lines.push(line),
  });
  const source = join(dropDir, 'incoming', 'push');
  await mkdir(source, { recursive: true });
  return { dropDir, source, bodies, watcher, lines };
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

  it('ignores dotfiles, dot-folders and files outside a source folder; sees the folders of uploads', async () => {
    // Prepare
    const { dropDir, source, watcher } = await prepare();
    await writeFile(join(source, '.partial.csv'), 'x');
    await mkdir(join(source, '.tmp'), { recursive: true });
    await writeFile(join(source, '.tmp', 'upload'), 'x');
    await writeFile(join(dropDir, 'incoming', 'loose.csv'), 'x');
    await mkdir(join(source, UPLOAD_ID), { recursive: true });
    await writeFile(join(source, UPLOAD_ID, 'list.xlsx'), 'x');
    // Act
    await watcher.pollOnce();
    const announced = await watcher.pollOnce();
    // Assess
    expect(announced).toEqual([`incoming/push/${UPLOAD_ID}/list.xlsx`]);
  });

  it('refuses a symbolic link: the link itself goes to rejected/ with a report, its target stays', async () => {
    // Prepare
    const { dropDir, source, bodies, watcher, lines } = await prepare();
    const target = join(dropDir, 'elsewhere.csv');
    await writeFile(target, 'uscc,name\n');
    await symlink(target, join(source, '名单.csv'));
    // Act
    const first = await watcher.pollOnce();
    const second = await watcher.pollOnce();
    // Assess
    expect([...first, ...second]).toEqual([]);
    expect(bodies).toHaveLength(0);
    const moved = join(dropDir, 'rejected', 'push', '名单.csv');
    expect((await lstat(moved)).isSymbolicLink()).toBe(true);
    expect(await readlink(moved)).toBe(target);
    expect(await readFile(target, 'utf8')).toBe('uscc,name\n');
    expect(await readdir(source)).toEqual([]);
    const report = await readFile(`${moved}.错误报告.txt`, 'utf8');
    expect(report).toContain('文件：名单.csv');
    expect(report).toContain('符号链接');
    expect(lines.join('\n')).toContain('incoming/push/名单.csv is a symbolic link');
  });

  it('refuses a folder dropped into a source folder, and one inside an upload folder', async () => {
    // Prepare
    const { dropDir, source, bodies, watcher, lines } = await prepare();
    await mkdir(join(source, '十一月', '补充'), { recursive: true });
    await writeFile(join(source, '十一月', 'list.csv'), 'x');
    await writeFile(join(source, '十一月', '补充', 'more.csv'), 'x');
    await mkdir(join(source, UPLOAD_ID, 'nested'), { recursive: true });
    await writeFile(join(source, UPLOAD_ID, 'nested', 'list.csv'), 'x');
    // Act
    await watcher.pollOnce();
    const announced = await watcher.pollOnce();
    await watcher.pollOnce();
    // Assess
    expect(announced).toEqual([]);
    expect(bodies).toHaveLength(0);
    const rejected = join(dropDir, 'rejected', 'push');
    expect(await readFile(join(rejected, '十一月', '补充', 'more.csv'), 'utf8')).toBe('x');
    expect(await readFile(join(rejected, '十一月.错误报告.txt'), 'utf8')).toContain('不接受文件夹');
    expect(await readFile(join(rejected, UPLOAD_ID, 'nested', 'list.csv'), 'utf8')).toBe('x');
    expect(await readFile(join(rejected, UPLOAD_ID, 'nested.错误报告.txt'), 'utf8')).toContain(
      `文件夹：${UPLOAD_ID}/nested`,
    );
    expect(await readdir(source)).toEqual([UPLOAD_ID]);
    expect(lines.join('\n')).toContain('incoming/push/十一月 is a folder');
  });

  it('keeps the first refused entry when another of the same name is refused later', async () => {
    // Prepare
    const { dropDir, source, watcher } = await prepare();
    await mkdir(join(source, 'batch'));
    await watcher.pollOnce();
    await watcher.pollOnce();
    await mkdir(join(source, 'batch'));
    await writeFile(join(source, 'batch', 'second.csv'), 'x');
    // Act
    await watcher.pollOnce();
    await watcher.pollOnce();
    // Assess
    const rejected = await readdir(join(dropDir, 'rejected', 'push'));
    expect(rejected).toContain('batch');
    expect(rejected.filter((name) => name.endsWith('-batch'))).toHaveLength(1);
    expect(rejected.filter((name) => name.endsWith('.错误报告.txt'))).toHaveLength(2);
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
