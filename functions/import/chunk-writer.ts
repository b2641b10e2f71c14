/**
 * Writes the rows of one chunk from its checkpoint on. Transactions are committed one after the other
 * (each moves the chunk's cursor), and DynamoDB serialises them anyway; so while one commits, the next
 * groups are read and planned and the next buffer parsed and checked. A group that touches a subject of
 * a group not yet committed waits for that commit before reading, and counts the subject as written by
 * this import only once it is.
 */
import { readAhead } from '#shared/read-ahead.ts';
import { type ChunkState, writeRowErrors } from '#storage/import-store.ts';
import type { Actor } from '#storage/subject-store.ts';
import {
  type ChunkCursor,
  type ChunkPosition,
  commitGroup,
  type GroupResult,
  type PreparedGroup,
  prepareGroup,
  type ReadyRow,
  usccOf,
} from './apply-group.ts';
import { planGroups } from './grouping.ts';
import { emptyCounts, type ImportCounts, type ImportRecord } from './model.ts';
import { OrgCodeResolver, prepareRows } from './prepare-rows.ts';
import { inRowBitmap } from './row-bitmap.ts';
import { type NumberedRow, numberedRows } from './row-stream.ts';
import { type ImportDeps, importActor, streamOptions } from './run-context.ts';

/**
 * Groups read and planned ahead of the one being committed: enough to cover a group whose reads take
 * longer than a commit, or the start of a new buffer.
 */
const GROUPS_AHEAD = 2;

/** A group as planned from a buffer of rows, before anything is read for it. */
interface PlannedGroup {
  readonly rows: readonly ReadyRow[];
  readonly position: ChunkPosition;
  readonly rowCounts: Partial<ImportCounts>;
}

/** Where the chunk's rows are read and planned from. */
interface ChunkSource {
  readonly deps: ImportDeps;
  readonly record: ImportRecord;
  readonly start: ChunkState;
  readonly chunkNumber: number;
}

/**
 * Plans one buffer of rows: checks them, writes their row errors, and plans its groups from the
 * cursor's `groupsDone` on, each carrying the cursor before and after it.
 */
async function planBuffer(
  source: ChunkSource,
  orgCodes: OrgCodeResolver,
  buffer: readonly NumberedRow[],
  cursor: ChunkCursor,
): Promise<PlannedGroup[]> {
  const { deps, record, start, chunkNumber } = source;
  const last = (buffer[buffer.length - 1] as NumberedRow).ordinal;
  const { ready, counts, errors } = await prepareRows(buffer, orgCodes, record.importId, (ordinal) =>
    inRowBitmap(start.repeatedRows, start.fromRow, ordinal),
  );
  await writeRowErrors(deps.store, record.importId, errors);
  counts.itemsWritten += errors.length;
  const groups = planGroups(ready);
  if (groups.length === 0) groups.push([]);
  const planned: PlannedGroup[] = [];
  let before = cursor;
  for (let index = cursor.groupsDone; index < groups.length; index++) {
    const after: ChunkCursor =
      index === groups.length - 1
        ? { checkpoint: last, groupsDone: 0 }
        : { checkpoint: before.checkpoint, groupsDone: index + 1 };
    planned.push({
      rows: groups[index] as ReadyRow[],
      position: { importId: record.importId, chunk: chunkNumber, before, after },
      // the rows' own counts (rows, rejected, persons…) ride with the buffer's first group
      rowCounts: index === 0 ? counts : emptyCounts(),
    });
    before = after;
  }
  return planned;
}

/**
 * The chunk's rows from its checkpoint on, a buffer at a time. Each group carries the cursor before and
 * after it, so the groups a retried worker skips are those already committed.
 */
async function* plannedBuffers(source: ChunkSource): AsyncGenerator<PlannedGroup[]> {
  const { deps, record, start } = source;
  const orgCodes = new OrgCodeResolver(deps.store);
  let cursor: ChunkCursor = { checkpoint: start.checkpoint, groupsDone: start.groupsDone };
  let buffer: NumberedRow[] = [];
  const flush = async () => {
    const planned = await planBuffer(source, orgCodes, buffer, cursor);
    buffer = [];
    cursor = planned[planned.length - 1]?.position.after ?? cursor;
    return planned;
  };
  for await (const numbered of numberedRows(deps.drop, record.key as string, streamOptions(deps, record))) {
    if (numbered.ordinal <= cursor.checkpoint || numbered.ordinal < start.fromRow) continue;
    if (numbered.ordinal > start.toRow) break;
    buffer.push(numbered);
    if (buffer.length >= deps.settings.bufferRows) yield await flush();
  }
  if (buffer.length > 0) yield await flush();
}

/** The chunk's groups in commit order; the next buffer is read and planned while this one is written. */
async function* plannedGroups(source: ChunkSource): AsyncGenerator<PlannedGroup> {
  for await (const groups of readAhead(plannedBuffers(source))) yield* groups;
}

interface UncommittedGroup {
  readonly subjects: ReadonlySet<string>;
  /** Settles once the group is committed, or abandoned. */
  readonly committed: Promise<void>;
  settle(): void;
}

function uncommittedGroup(subjects: ReadonlySet<string>): UncommittedGroup {
  let settle = () => {};
  const committed = new Promise<void>((resolve) => {
    settle = resolve;
  });
  return { subjects, committed, settle: () => settle() };
}

function subjectsOf(rows: readonly ReadyRow[]): Set<string> {
  return new Set(rows.flatMap((row) => (row.kind === 'count' ? [] : [usccOf(row)])));
}

interface ReadyGroup {
  readonly prepared: PreparedGroup;
  readonly group: UncommittedGroup;
}

/** The state of writing one chunk: what is planned ahead, what is committed. */
class ChunkWriter {
  private readonly groups: AsyncGenerator<PlannedGroup>;
  private readonly actor: Actor;
  /**
   * While groups find nothing stored before this import, the next reads only the subjects this import
   * wrote and assumes the rest new (checked by the transaction's conditions).
   */
  private readonly written = new Set<string>();
  /** Subjects this import created: their listings are all its own, so none is read (apply-group.ts). */
  private readonly created = new Set<string>();
  private optimistic = false;
  /** Groups taken from the planner and not yet committed, in commit order. */
  private readonly uncommitted: UncommittedGroup[] = [];
  /** Set when a commit failed: preparations not begun yet take no further group. */
  private abandoned = false;
  /** Preparations run one after the other, up to GROUPS_AHEAD ahead of the commit. */
  private readonly ahead: Promise<ReadyGroup | undefined>[] = [];
  private lastPrepared: Promise<unknown> = Promise.resolve();

  constructor(private readonly source: ChunkSource) {
    this.groups = plannedGroups(source);
    this.actor = importActor(source.record);
  }

  async run(): Promise<void> {
    for (let count = 0; count < GROUPS_AHEAD; count++) this.prepareAhead();
    try {
      for (;;) {
        const current = await this.ahead.shift();
        if (current === undefined) break;
        this.prepareAhead();
        await this.commit(current);
      }
    } finally {
      // after a failure, the groups read ahead are abandoned: release those waiting, stop reading the file
      this.abandoned = true;
      for (const group of this.uncommitted) group.settle();
      await Promise.allSettled(this.ahead);
      await this.groups.return(undefined);
    }
  }

  private prepareAhead(): void {
    const prepared = this.lastPrepared.then(() => this.prepareNext());
    // a failure is met where the group is awaited; keep it from counting as unhandled meanwhile
    prepared.catch(() => undefined);
    this.lastPrepared = prepared;
    this.ahead.push(prepared);
  }

  private async prepareNext(): Promise<ReadyGroup | undefined> {
    if (this.abandoned) return undefined;
    const next = await this.groups.next();
    if (next.done === true || this.abandoned) return undefined;
    const planned = next.value;
    const subjects = subjectsOf(planned.rows);
    const earlier = this.uncommitted.filter((group) =>
      [...subjects].some((uscc) => group.subjects.has(uscc)),
    );
    const group = uncommittedGroup(subjects);
    this.uncommitted.push(group);
    // a subject of a group not committed yet is read once that group is
    await Promise.all(earlier.map((other) => other.committed));
    const prepared = await prepareGroup(
      this.source.deps.store,
      this.actor,
      planned.position,
      planned.rows,
      planned.rowCounts,
      { written: this.written, optimistic: this.optimistic, created: this.created },
    );
    return { prepared, group };
  }

  private async commit(current: ReadyGroup): Promise<void> {
    let result: GroupResult;
    try {
      result = await commitGroup(this.source.deps.store, this.actor, current.prepared);
      for (const uscc of current.group.subjects) this.written.add(uscc);
      for (const uscc of result.created) this.created.add(uscc);
    } finally {
      this.uncommitted.splice(this.uncommitted.indexOf(current.group), 1);
      current.group.settle();
    }
    this.optimistic = !result.foundExisting;
  }
}

/** Writes the rows of one chunk from its checkpoint on, group by group. */
export async function writeChunkRows(
  deps: ImportDeps,
  record: ImportRecord,
  start: ChunkState,
  chunkNumber: number,
): Promise<void> {
  await new ChunkWriter({ deps, record, start, chunkNumber }).run();
}
