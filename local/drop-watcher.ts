/**
 * Watches the local drop folder the way the bucket's event notification watches the bucket: each new
 * file under `incoming/<source>/` becomes one `ObjectCreated:Put` notification on the import queue.
 * Files are polled rather than watched so that a file still being copied in is only announced once its
 * size and modification time have held still across two polls.
 *
 * A source folder holds files, and the folders of API uploads (`<importId>/<file>`). Anything else is
 * refused where the clerk sees it: a symbolic link (never followed: it could point anywhere on the
 * machine) or any other folder is moved to `rejected/<source>/…` with a `….错误报告.txt` beside it.
 */
import { createHash } from 'node:crypto';
import { createReadStream, type Dirent } from 'node:fs';
import { lstat, mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { IMPORT_ID_PATTERN } from '#shared/drop-folder.ts';
import { objectCreatedEvent } from './s3-event.ts';

export interface DropWatcherOptions {
  /** `$LOCAL_DIR/dropbox`: keys are relative to it, like object keys to the bucket. */
  readonly dropDir: string;
  readonly bucketName: string;
  /** Sends a message body to the import queue. */
  readonly enqueue: (body: string) => Promise<unknown>;
  readonly intervalMs?: number;
  readonly log?: (line: string) => void;
}

export interface DropWatcher {
  start(): void;
  stop(): Promise<void>;
  /** One poll; returns the keys it announced. */
  pollOnce(): Promise<string[]>;
}

interface Observation {
  readonly size: number;
  readonly mtimeMs: number;
}

/** An entry of a source folder that is not imported. */
interface Refusal {
  readonly path: string;
  readonly kind: 'symlink' | 'folder';
  readonly source: string;
}

/** The folder an API upload puts its file in: `incoming/<source>/<importId>/<file>`, a UUID. */
const UPLOAD_FOLDER = IMPORT_ID_PATTERN;
const REPORT_SUFFIX = '.错误报告.txt';

/** Creates a watcher over `dropDir/incoming/<source>/**`. */
export function createDropWatcher(options: DropWatcherOptions): DropWatcher {
  return new DropFolderWatcher(options);
}

/** The watcher: what each file looked like at the last poll, what was announced, and the poll timer. */
class DropFolderWatcher implements DropWatcher {
  private readonly incoming: string;
  private readonly log: (line: string) => void;
  private readonly lastSeen = new Map<string, Observation>();
  private readonly announced = new Set<string>();
  /** Refusals seen by the last poll: one is acted on when a second poll still sees it (a copy may be under way). */
  private refusalsSeen = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<string[]> | undefined;

  constructor(private readonly options: DropWatcherOptions) {
    this.incoming = join(options.dropDir, 'incoming');
    this.log = options.log ?? (() => undefined);
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(this.tick, this.options.intervalMs ?? 1000);
    this.timer.unref();
    this.tick();
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.polling;
  }

  async pollOnce(): Promise<string[]> {
    const { files, refusals } = await listEntries(this.incoming);
    await this.refuseSettled(refusals);
    const keys: string[] = [];
    for (const file of files) {
      const key = await this.announceIfSettled(file);
      if (key !== undefined) keys.push(key);
    }
    this.forgetMissing(new Set(files));
    return keys;
  }

  /** Starts a poll unless one is running; an arrow so that the timer can call it. */
  private readonly tick = (): void => {
    if (this.polling !== undefined) return;
    this.polling = this.pollOnce()
      .catch((error: unknown) => {
        this.log(`drop folder: poll failed: ${(error as Error).message}`);
        return [];
      })
      .finally(() => {
        this.polling = undefined;
      });
  };

  /** Announces a file whose size and time held still since the last poll, once; returns its key. */
  private async announceIfSettled(file: string): Promise<string | undefined> {
    const observed = await observe(file);
    if (observed === undefined) return undefined;
    const identity = `${file}|${observed.size}|${observed.mtimeMs}`;
    const previous = this.lastSeen.get(file);
    this.lastSeen.set(file, observed);
    if (this.announced.has(identity)) return undefined;
    if (previous?.size !== observed.size || previous.mtimeMs !== observed.mtimeMs) return undefined;
    const key = this.displayKey(file);
    await this.announce(file, key, observed);
    this.announced.add(identity);
    return key;
  }

  private async announce(file: string, key: string, observed: Observation): Promise<void> {
    const event = objectCreatedEvent({
      key,
      size: observed.size,
      eTag: await md5Of(file),
      bucketName: this.options.bucketName,
      eventTime: new Date(observed.mtimeMs),
    });
    await this.options.enqueue(JSON.stringify(event));
    this.log(`drop folder: ${key} (${observed.size} bytes) queued for import`);
  }

  private async refuseSettled(refusals: readonly Refusal[]): Promise<void> {
    const seenNow = new Set<string>();
    for (const refusal of refusals) {
      if (!this.refusalsSeen.has(refusal.path)) {
        seenNow.add(refusal.path);
        continue;
      }
      await this.refuse(refusal).catch((error: unknown) => {
        seenNow.add(refusal.path);
        this.log(
          `drop folder: could not set aside ${this.displayKey(refusal.path)}: ${(error as Error).message}`,
        );
      });
    }
    this.refusalsSeen = seenNow;
  }

  private async refuse(refusal: Refusal): Promise<void> {
    const within = relative(join(this.incoming, refusal.source), refusal.path);
    const target = await this.freeRejectedPath(
      join(this.options.dropDir, 'rejected', refusal.source, within),
    );
    await mkdir(dirname(target), { recursive: true });
    // rename moves a symbolic link itself, never what it points to
    await rename(refusal.path, target);
    await writeFile(`${target}${REPORT_SUFFIX}`, refusalReport(refusal, within));
    const why = refusal.kind === 'symlink' ? 'is a symbolic link, not a file' : 'is a folder';
    this.log(
      `drop folder: ${this.displayKey(refusal.path)} ${why}; not imported, moved to ` +
        `${this.displayKey(target)} with a report`,
    );
  }

  /** The place under `rejected/`, time-stamped when an earlier refusal already took it. */
  private async freeRejectedPath(target: string): Promise<string> {
    if (!(await exists(target)) && !(await exists(`${target}${REPORT_SUFFIX}`))) return target;
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    return join(dirname(target), `${stamp}-${basename(target)}`);
  }

  private displayKey(path: string): string {
    return relative(this.options.dropDir, path).split(sep).join('/');
  }

  /** Files that left `incoming/` are forgotten, so one put back later is announced again. */
  private forgetMissing(present: ReadonlySet<string>): void {
    for (const file of this.lastSeen.keys()) if (!present.has(file)) this.lastSeen.delete(file);
    for (const identity of this.announced) {
      if (!present.has(identity.slice(0, identity.indexOf('|')))) this.announced.delete(identity);
    }
  }
}

/** What a source folder holds. */
interface Entries {
  readonly files: string[];
  readonly refusals: Refusal[];
}

/**
 * Files under `incoming/<source>/` and `incoming/<source>/<importId>/`, and what is to be refused there;
 * dotfiles and dot-folders are skipped (partial uploads live there).
 */
async function listEntries(incoming: string): Promise<Entries> {
  let sources: string[];
  try {
    sources = (await readdir(incoming, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
      .map((entry) => entry.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { files: [], refusals: [] };
    throw error;
  }
  const found: Entries = { files: [], refusals: [] };
  for (const source of sources) await collect(join(incoming, source), source, true, found);
  found.files.sort();
  return found;
}

async function collect(folder: string, source: string, top: boolean, found: Entries): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch {
    return; // moved away by the import worker between two reads
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(folder, entry.name);
    if (entry.isFile()) found.files.push(path);
    else if (entry.isSymbolicLink()) found.refusals.push({ path, kind: 'symlink', source });
    else if (entry.isDirectory() && top && UPLOAD_FOLDER.test(entry.name))
      await collect(path, source, false, found);
    else if (entry.isDirectory()) found.refusals.push({ path, kind: 'folder', source });
  }
}

/** The Chinese report set beside a refused entry. */
function refusalReport(refusal: Refusal, within: string): string {
  const folder = `incoming/${refusal.source}/`;
  if (refusal.kind === 'symlink') {
    return (
      `文件：${within}\n结果：未导入\n` +
      `原因：这是一个符号链接（快捷方式），不是文件本身。为安全起见，投放目录不跟随链接；` +
      `链接已移到此处，它指向的文件没有改动。请把文件本身复制到 ${folder} 后重新投放。\n`
    );
  }
  return (
    `文件夹：${within}\n结果：未导入\n` +
    `原因：投放目录 ${folder} 只接受文件，不接受文件夹。请把文件夹中的文件逐个直接放入 ${folder}，` +
    `每个文件单独导入。\n`
  );
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

async function observe(file: string): Promise<Observation | undefined> {
  try {
    const stats = await stat(file);
    return { size: stats.size, mtimeMs: stats.mtimeMs };
  } catch {
    return undefined;
  }
}

async function md5Of(file: string): Promise<string> {
  const hash = createHash('md5');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}
