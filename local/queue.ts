/**
 * The local stand-in for the import queue and its dead-letter queue: one JSON file per message under
 * `$LOCAL_DIR/queue/import/`, delivered to the import handler as the SQS event Lambda's event source
 * sends, retried with backoff, and moved to `$LOCAL_DIR/queue/dead/` after the fifth failed receive
 * (the stack's maxReceiveCount). Messages survive a restart: what was not deleted is delivered again.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { lambdaContext } from './lambda-context.ts';
import { type ReceivedMessage, sqsEvent } from './sqs-event.ts';

/**
 * One message on disk. The file is named `<sentAt>-<uuid>.json` (the uuid is the SQS messageId; the name
 * orders the queue) and holds `{"body": "<message body string>", "receiveCount": n, "sentAt": ms}`;
 * the poller adds `firstReceivedAt` at the first receive. Writers create it under a dot-name in the same
 * folder and rename it into place, so a reader never sees half a message.
 */
export interface QueueMessageFile {
  readonly body: string;
  readonly receiveCount: number;
  readonly sentAt: number;
  readonly firstReceivedAt?: number;
}

export const IMPORT_QUEUE_NAME = 'import';
export const DEAD_LETTER_QUEUE_NAME = 'dead';
export const MAX_RECEIVE_COUNT = 5;
const MESSAGE_FILE = /^(\d+)-([0-9a-f-]{36})\.json$/;

/** The import handler's shape: an SQS event in, `{ batchItemFailures }` (SQSBatchResponse) out. */
export type SqsHandler = (event: SQSEvent, context: Context) => Promise<unknown>;

/**
 * Sends a message to the local import queue: writes `<queueDir>/import/<sentAt>-<uuid>.json` atomically
 * (format in {@link QueueMessageFile}). `queueDir` is `LOCAL_QUEUE_DIR`, i.e. `$LOCAL_DIR/queue`; the
 * import worker's local adapter writes its chunk messages the same way. Returns the message id.
 */
export async function writeQueueMessage(
  queueDir: string,
  body: string,
  now: number = Date.now(),
): Promise<string> {
  const folder = join(queueDir, IMPORT_QUEUE_NAME);
  await mkdir(folder, { recursive: true });
  const messageId = randomUUID();
  const message: QueueMessageFile = { body, receiveCount: 0, sentAt: now };
  await writeAtomically(join(folder, `${now}-${messageId}.json`), JSON.stringify(message));
  return messageId;
}

async function writeAtomically(path: string, content: string): Promise<void> {
  const temporary = join(dirname(path), `.${randomUUID()}.tmp`);
  await writeFile(temporary, content);
  await rename(temporary, path);
}

export interface ImportQueueOptions {
  /** `$LOCAL_DIR/queue`. */
  readonly queueDir: string;
  readonly handler: SqsHandler;
  /** Messages handled at the same time (the function's reserved concurrency). */
  readonly concurrency?: number;
  readonly maxReceiveCount?: number;
  /** How long a failed message stays invisible before its next receive, by receives so far. */
  readonly backoffMs?: (receiveCount: number) => number;
  readonly pollIntervalMs?: number;
  /** The function's timeout, for the context's remaining time. */
  readonly timeoutMs?: number;
  readonly log?: (line: string) => void;
}

/** The queue and its poller. */
export interface ImportQueue {
  /** Sends a message; the poller picks it up at once. Returns the message id. */
  enqueue(body: string): Promise<string>;
  start(): void;
  /** Stops polling and waits for the messages in flight (they stay queued if they do not finish). */
  stop(): Promise<void>;
  /** One poll: starts deliveries for the visible messages, up to the concurrency. */
  pollOnce(): Promise<void>;
  /** Resolves when no message is in flight and none is visible (tests). */
  idle(): Promise<void>;
}

/** Visibility timeouts like SQS's default redrive: 1 s, 2 s, 4 s, … capped at 30 s. */
export function defaultBackoffMs(receiveCount: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, receiveCount - 1));
}

/** Creates the queue over `queueDir` and a poller that feeds `handler` one message at a time. */
export function createImportQueue(options: ImportQueueOptions): ImportQueue {
  return new FileQueue(options);
}

/** The queue's folders, the messages in flight or waiting out a backoff, and the background poller. */
class FileQueue implements ImportQueue {
  private readonly inbox: string;
  private readonly dead: string;
  private readonly concurrency: number;
  private readonly maxReceiveCount: number;
  private readonly backoffMs: (receiveCount: number) => number;
  private readonly log: (line: string) => void;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly invisibleUntil = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private polling: Promise<void> | undefined;

  constructor(private readonly options: ImportQueueOptions) {
    this.inbox = join(options.queueDir, IMPORT_QUEUE_NAME);
    this.dead = join(options.queueDir, DEAD_LETTER_QUEUE_NAME);
    // Both queues exist from the start, as in the stack, so the dead-letter queue can be watched.
    for (const folder of [this.inbox, this.dead]) mkdirSync(folder, { recursive: true });
    this.concurrency = options.concurrency ?? 2;
    this.maxReceiveCount = options.maxReceiveCount ?? MAX_RECEIVE_COUNT;
    this.backoffMs = options.backoffMs ?? defaultBackoffMs;
    this.log = options.log ?? (() => undefined);
  }

  async enqueue(body: string): Promise<string> {
    const messageId = await writeQueueMessage(this.options.queueDir, body);
    this.kick();
    return messageId;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.timer = setInterval(this.kick, this.options.pollIntervalMs ?? 250);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.polling;
    await Promise.all(this.inFlight.values());
  }

  async pollOnce(): Promise<void> {
    const names = await this.visibleMessages();
    for (const name of names) {
      if (this.inFlight.size >= this.concurrency) break;
      const delivery = this.deliver(name)
        .catch((error: unknown) => this.log(`queue: delivering ${name} failed: ${(error as Error).message}`))
        .finally(() => {
          this.inFlight.delete(name);
          if (this.running) this.kick();
        });
      this.inFlight.set(name, delivery);
    }
  }

  async idle(): Promise<void> {
    for (;;) {
      await this.polling;
      await Promise.all(this.inFlight.values());
      if (this.inFlight.size === 0 && (await this.visibleMessages()).length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Starts a poll unless one is running; an arrow so that timers can call it. */
  private readonly kick = (): void => {
    if (!this.running || this.polling !== undefined) return;
    this.polling = this.pollOnce()
      .catch((error: unknown) => this.log(`queue: poll failed: ${(error as Error).message}`))
      .finally(() => {
        this.polling = undefined;
      });
  };

  private async visibleMessages(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.inbox);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const now = Date.now();
    return names
      .filter((name) => MESSAGE_FILE.test(name) && !this.inFlight.has(name))
      .filter((name) => (this.invisibleUntil.get(name) ?? 0) <= now)
      .sort();
  }

  /** One receive of one message: counted, handed to the handler, then deleted, retried or dead. */
  private async deliver(name: string): Promise<void> {
    const received = await this.receive(name);
    if (received === undefined) return;
    const failure = await this.invoke(received.message);
    if (failure === undefined) {
      this.invisibleUntil.delete(name);
      await unlink(join(this.inbox, name)).catch(() => undefined);
      return;
    }
    await this.retryOrBury(name, received.message, failure);
  }

  /**
   * Reads the message and writes its receive count up by one; undefined when it is gone (deleted by an
   * earlier delivery) or unreadable (then it is moved to the dead-letter queue).
   */
  private async receive(name: string): Promise<{ message: ReceivedMessage } | undefined> {
    const path = join(this.inbox, name);
    const messageId = MESSAGE_FILE.exec(name)?.[2] ?? name;
    let stored: QueueMessageFile;
    try {
      stored = parseMessage(await readFile(path, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      this.log(
        `queue: message ${messageId} is unreadable, moved to the dead-letter queue: ${(error as Error).message}`,
      );
      await this.moveToDead(name);
      return undefined;
    }
    const now = Date.now();
    const received: QueueMessageFile = {
      ...stored,
      receiveCount: stored.receiveCount + 1,
      firstReceivedAt: stored.firstReceivedAt ?? now,
    };
    // Counted before the handler runs, as SQS counts a receive whether or not the consumer survives it.
    await writeAtomically(path, JSON.stringify(received));
    return {
      message: {
        messageId,
        body: received.body,
        receiveCount: received.receiveCount,
        sentAt: received.sentAt,
        firstReceivedAt: received.firstReceivedAt ?? now,
      },
    };
  }

  /** Runs the handler; returns why the message failed, or undefined when it succeeded. */
  private async invoke(message: ReceivedMessage): Promise<string | undefined> {
    try {
      const response = await this.options.handler(
        sqsEvent([message]),
        lambdaContext('import', this.options.timeoutMs ?? 15 * 60_000),
      );
      const failures = (response as Partial<SQSBatchResponse> | undefined)?.batchItemFailures ?? [];
      const failed = failures.some((item) => item.itemIdentifier === message.messageId);
      return failed ? 'reported as a batch item failure' : undefined;
    } catch (error) {
      return (error as Error).stack ?? String(error);
    }
  }

  /** After a failed receive: the dead-letter queue at the last receive, else invisible for a backoff. */
  private async retryOrBury(name: string, message: ReceivedMessage, failure: string): Promise<void> {
    const { messageId, receiveCount } = message;
    if (receiveCount >= this.maxReceiveCount) {
      this.log(
        `queue: message ${messageId} failed ${receiveCount} times, moved to the dead-letter queue: ${failure}`,
      );
      await this.moveToDead(name);
      return;
    }
    const delay = this.backoffMs(receiveCount);
    this.log(
      `queue: message ${messageId} failed (receive ${receiveCount}), retry in ${delay} ms: ${failure}`,
    );
    this.invisibleUntil.set(name, Date.now() + delay);
    if (this.running) setTimeout(this.kick, delay).unref();
  }

  private async moveToDead(name: string): Promise<void> {
    this.invisibleUntil.delete(name);
    await rename(join(this.inbox, name), join(this.dead, name)).catch(() => undefined);
  }
}

function parseMessage(text: string): QueueMessageFile {
  const value = JSON.parse(text) as Partial<QueueMessageFile>;
  if (typeof value.body !== 'string' || typeof value.sentAt !== 'number') {
    throw new Error('a message needs a string body and a numeric sentAt');
  }
  return {
    body: value.body,
    receiveCount: typeof value.receiveCount === 'number' ? value.receiveCount : 0,
    sentAt: value.sentAt,
    ...(typeof value.firstReceivedAt === 'number' ? { firstReceivedAt: value.firstReceivedAt } : {}),
  };
}
