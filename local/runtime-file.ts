/**
 * `$LOCAL_DIR/runtime.json`: who runs the local system on this folder. `npm start` writes it and removes it
 * on the way out; a second start refuses while its pid lives; `npm run evaluate` borrows its DynamoDB Local.
 */
import { readFileSync, unlinkSync } from 'node:fs';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';

export interface RuntimeRecord {
  /** The `npm start` process. */
  readonly pid: number;
  readonly dynamoEndpoint: string;
  /** The Java process of DynamoDB Local. */
  readonly dynamoPid?: number;
  readonly port: number;
  readonly startedAt: string;
}

/** The record, or undefined when there is none or it cannot be read. */
export async function readRuntimeRecord(file: string): Promise<RuntimeRecord | undefined> {
  try {
    const record = JSON.parse(await readFile(file, 'utf8')) as Partial<RuntimeRecord>;
    if (typeof record.pid !== 'number' || typeof record.dynamoEndpoint !== 'string') return undefined;
    return record as RuntimeRecord;
  } catch {
    return undefined;
  }
}

/** Writes the record atomically, so a reader never sees half of it. */
export async function writeRuntimeRecord(file: string, record: RuntimeRecord): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(record, null, 2)}\n`);
  await rename(temporary, file);
}

/** Removes the record if it is this process's (a newer run's record is left alone). */
export async function removeRuntimeRecord(file: string, pid: number = process.pid): Promise<void> {
  const record = await readRuntimeRecord(file);
  if (record !== undefined && record.pid !== pid) return;
  await unlink(file).catch(() => undefined);
}

/** The same, for `process.on('exit')`, where nothing can be awaited. */
export function removeRuntimeRecordSync(file: string, pid: number = process.pid): void {
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as Partial<RuntimeRecord>;
    if (record.pid === pid) unlinkSync(file);
  } catch {
    // no record, or not readable: nothing of ours to remove
  }
}

/** Whether a process with that pid exists (and may be signalled). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether `pid` is a DynamoDB Local left behind by a run that died without stopping it. Only answers yes
 * where the command line can be read (Linux), so a reused pid is never taken for it.
 */
export function isOrphanedDynamoLocal(pid: number): boolean {
  if (!isProcessAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('DynamoDBLocal');
  } catch {
    return false;
  }
}
