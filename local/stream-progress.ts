/**
 * Where a stream reader stands: per shard, the last sequence number handled, or `done` for a closed
 * shard read to its end. Kept in a file when given one (written whole, then renamed, so a crash leaves
 * the last complete state), so `npm start` goes on where it stopped; a reader handing a record again
 * after a crash is what Lambda's event source mapping does too, and the trail is idempotent.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The mark of a closed shard read to its end. */
export const DONE = 'done';

export interface Progress {
  streamArn?: string;
  /** Per shard: the last sequence number handled, or `done` for a closed shard read to its end. */
  shards: Record<string, string>;
}

export class StreamProgress {
  private state: Progress | undefined;

  constructor(private readonly file: string | undefined) {}

  /** The state, read from the file the first time. */
  async load(): Promise<Progress> {
    if (this.state !== undefined) return this.state;
    this.state = { shards: {} };
    if (this.file !== undefined) {
      try {
        this.state = JSON.parse(await readFile(this.file, 'utf8')) as Progress;
      } catch {
        // no checkpoint yet: start at the stream's beginning
      }
    }
    return this.state;
  }

  async save(): Promise<void> {
    if (this.file === undefined || this.state === undefined) return;
    await mkdir(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.tmp`;
    await writeFile(temporary, JSON.stringify(this.state));
    await rename(temporary, this.file);
  }
}
