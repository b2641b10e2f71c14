import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IMPORT_SOURCES } from '../../functions/import/model.ts';
import { ensureLocalFolders, localPaths } from '../../local/paths.ts';

describe('local folders', () => {
  it('creates a folder for every source, and check, so that a file can be copied in at once', async () => {
    // Prepare
    const paths = localPaths(await mkdtemp(join(tmpdir(), 'cg-paths-')));
    // Act
    await ensureLocalFolders(paths);
    await ensureLocalFolders(paths);
    // Assess
    expect((await readdir(paths.incoming)).sort()).toEqual([...IMPORT_SOURCES, 'check'].sort());
    // the README's `cp 名单.csv .local/dropbox/incoming/push/`
    await expect(writeFile(join(paths.incoming, 'push', '名单.csv'), 'x')).resolves.toBeUndefined();
    await rm(paths.root, { recursive: true, force: true });
  });
});
