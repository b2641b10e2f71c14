/**
 * Watches the local drop folder the way the bucket's event notification watches the bucket: each new
 * file under `incoming/<source>/` becomes one `ObjectCreated:Put` notification on the import queue.
 * Files are polled rather than watched so that a file still being copied in is only announced once its
 * size and modification time have held still across two polls.
 */
import { createHash } from 'node:crypto';
import { createReadStream, type Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
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

/** Creates a watcher over `dropDir/incoming/<source>/**`. */
export function createDropWatcher(options: DropWatcherOptions): DropWatcher {
  const incoming = join(options.dropDir, 'incoming');
  const log = options.log ?? (() => undefined);
  const lastSeen = new Map<string, Observation>();
  const announced = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<string[]> | undefined;

  async function pollOnce(): Promise<string[]> {
    const files = await listFiles(incoming);
    const present = new Set(files);
    const keys: string[] = [];
    for (const file of files) {
      const observed = await observe(file);
      if (observed === undefined) continue;
      const identity = `${file}|${observed.size}|${observed.mtimeMs}`;
      const previous = lastSeen.get(file);
      lastSeen.set(file, observed);
      if (announced.has(identity)) continue;
      if (previous?.size !== observed.size || previous.mtimeMs !== observed.mtimeMs) continue;
      const key = relative(options.dropDir, file).split(sep).join('/');
      await announce(file, key, observed);
      announced.add(identity);
      keys.push(key);
    }
    forgetMissing(present);
    return keys;
  }

  async function announce(file: string, key: string, observed: Observation): Promise<void> {
    const event = objectCreatedEvent({
      key,
      size: observed.size,
      eTag: await md5Of(file),
      bucketName: options.bucketName,
      eventTime: new Date(observed.mtimeMs),
    });
    await options.enqueue(JSON.stringify(event));
    log(`drop folder: ${key} (${observed.size} bytes) queued for import`);
  }

  /** Files that left `incoming/` are forgotten, so one put back later is announced again. */
  function forgetMissing(present: ReadonlySet<string>): void {
    for (const file of lastSeen.keys()) if (!present.has(file)) lastSeen.delete(file);
    for (const identity of announced) {
      if (!present.has(identity.slice(0, identity.indexOf('|')))) announced.delete(identity);
    }
  }

  function tick(): void {
    if (polling !== undefined) return;
    polling = pollOnce()
      .catch((error: unknown) => {
        log(`drop folder: poll failed: ${(error as Error).message}`);
        return [];
      })
      .finally(() => {
        polling = undefined;
      });
  }

  return {
    start() {
      if (timer !== undefined) return;
      timer = setInterval(tick, options.intervalMs ?? 1000);
      timer.unref();
      tick();
    },
    async stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      await polling;
    },
    pollOnce,
  };
}

/** Files under `incoming/<source>/`, skipping dotfiles and dot-folders (partial uploads live there). */
async function listFiles(incoming: string): Promise<string[]> {
  let sources: string[];
  try {
    sources = (await readdir(incoming, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
      .map((entry) => join(incoming, entry.name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files: string[] = [];
  for (const source of sources) await collect(source, files);
  return files.sort();
}

async function collect(folder: string, files: string[]): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch {
    return; // moved away by the import worker between two reads
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) await collect(path, files);
    else if (entry.isFile()) files.push(path);
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
