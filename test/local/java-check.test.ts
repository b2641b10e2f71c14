/**
 * Java 17+ is checked before anything starts: `npm start`, the test run's global setup and the check
 * itself, with a PATH that has no java at all and with one whose java is version 11.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { JAVA_INSTALL_COMMAND, JavaUnavailableError, requireJava } from '../../local/java.ts';
import setup from '../support/global-setup.ts';

const run = promisify(execFile);
const folders: string[] = [];

afterAll(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

async function folder(prefix: string): Promise<string> {
  const made = await mkdtemp(join(tmpdir(), prefix));
  folders.push(made);
  return made;
}

/** A folder whose only command is a `java` that says it is version 11. */
async function java11Folder(): Promise<string> {
  const bin = await folder('cg-java11-');
  const script = join(bin, 'java');
  await writeFile(
    script,
    "#!/bin/sh\necho 'openjdk version \"11.0.2\" 2019-01-15' >&2\necho 'OpenJDK Runtime Environment 18.9 (build 11.0.2+9)' >&2\n",
  );
  await chmod(script, 0o755);
  return bin;
}

/** `npm start`'s entry, run by this Node with tsx, so that PATH needs nothing on it. */
async function startWithPath(path: string) {
  const localDir = await folder('cg-nojava-');
  const began = Date.now();
  const outcome = await run(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    env: { ...process.env, PATH: path, LOCAL_DIR: localDir, PORT: '1' },
    timeout: 30_000,
  }).then(
    () => ({ code: 0, stderr: '' }),
    (error: { code?: number; stderr?: string }) => ({ code: error.code, stderr: error.stderr ?? '' }),
  );
  return { ...outcome, ms: Date.now() - began };
}

describe('the Java check', () => {
  it('refuses a PATH without java, and one with Java 11, naming the install command', async () => {
    // Prepare
    const empty = await folder('cg-empty-path-');
    const old = await java11Folder();
    // Act
    const missing = () => requireJava({ PATH: empty });
    const tooOld = () => requireJava({ PATH: old });
    // Assess
    expect(missing).toThrow(JavaUnavailableError);
    expect(missing).toThrow(JAVA_INSTALL_COMMAND);
    expect(tooOld).toThrow('找到 Java 11');
    expect(() => requireJava()).not.toThrow();
  });

  it('stops npm start at once without java on the PATH', async () => {
    // Prepare
    const empty = await folder('cg-empty-path-');
    // Act
    const started = await startWithPath(empty);
    // Assess
    expect(started.code).toBe(1);
    expect(started.stderr).toContain('未找到 Java');
    expect(started.stderr).toContain(JAVA_INSTALL_COMMAND);
    expect(started.ms).toBeLessThan(15_000);
  });

  it('stops npm start at once with Java 11 on the PATH', async () => {
    // Prepare
    const old = await java11Folder();
    // Act
    const started = await startWithPath(old);
    // Assess
    expect(started.code).toBe(1);
    expect(started.stderr).toContain('Java 11');
    expect(started.stderr).toContain(JAVA_INSTALL_COMMAND);
    expect(started.ms).toBeLessThan(15_000);
  });

  it("stops the test run's global setup without java on the PATH", async () => {
    // Prepare
    const empty = await folder('cg-empty-path-');
    const savedPath = process.env.PATH;
    process.env.PATH = empty;
    const project = { provide: () => undefined } as unknown as Parameters<typeof setup>[0];
    // Act
    const began = Date.now();
    const outcome = await setup(project).then(
      () => undefined,
      (error: unknown) => error,
    );
    process.env.PATH = savedPath;
    // Assess
    expect(outcome).toBeInstanceOf(JavaUnavailableError);
    expect((outcome as Error).message).toContain(JAVA_INSTALL_COMMAND);
    expect(Date.now() - began).toBeLessThan(5_000);
  });
});
