/**
 * Puts items in the background while the caller goes on: full BatchWriteItem requests, a few at a time,
 * beside the caller's own writes. The first failure is kept and thrown by the next call, so an error
 * still stops the caller; `drain` waits for everything added and is where the last error surfaces.
 * The backlog is bounded: `add` waits while more than `maxBacklog` items are pending.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BATCH_WRITE_LIMIT, batchPutAll } from './batch.ts';

type Item = Record<string, unknown>;

export interface BackgroundWriterOptions {
  /** Requests in flight at once. */
  readonly concurrency: number;
  /** Items pending before `add` waits for room. */
  readonly maxBacklog: number;
  /** Items one task writes in a row (a multiple of 25 makes full requests). */
  readonly itemsPerTask: number;
}

export const DEFAULT_BACKGROUND_WRITER: BackgroundWriterOptions = {
  concurrency: 3,
  maxBacklog: 1_000,
  itemsPerTask: 4 * BATCH_WRITE_LIMIT,
};

export class BackgroundWriter {
  private readonly pending: Item[] = [];
  private readonly running = new Set<Promise<void>>();
  private failure: { readonly error: unknown } | undefined;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: BackgroundWriterOptions = DEFAULT_BACKGROUND_WRITER,
  ) {}

  /** Queues items; starts full tasks; waits while the backlog is over its bound. */
  async add(items: readonly Item[]): Promise<void> {
    this.throwIfFailed();
    this.pending.push(...items);
    this.pump(false);
    while (this.pending.length > this.options.maxBacklog && this.running.size > 0) {
      await Promise.race(this.running);
      this.throwIfFailed();
      this.pump(false);
    }
  }

  /** Writes everything queued, partial batches included, and waits for it. */
  async drain(): Promise<void> {
    for (;;) {
      this.throwIfFailed();
      this.pump(true);
      if (this.running.size === 0) break;
      await Promise.race(this.running);
    }
    this.throwIfFailed();
  }

  /** Items queued or being written. */
  get backlog(): number {
    return this.pending.length;
  }

  private pump(partial: boolean): void {
    while (this.failure === undefined && this.running.size < this.options.concurrency) {
      const full = this.pending.length >= this.options.itemsPerTask;
      if (!full && !(partial && this.pending.length > 0)) return;
      const items = this.pending.splice(0, this.options.itemsPerTask);
      const task: Promise<void> = batchPutAll(this.client, this.tableName, items).then(
        () => {
          this.running.delete(task);
        },
        (error: unknown) => {
          this.running.delete(task);
          this.failure ??= { error };
        },
      );
      this.running.add(task);
    }
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure.error;
  }
}
