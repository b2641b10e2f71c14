/**
 * Keeps `npm start`'s DynamoDB Local alive: when its Java child dies, a new one is started on the same
 * port and data folder, up to a number of restarts within a window; past that the supervisor gives up and
 * says so. The child itself is started by `startDynamoLocal` (`dynamodb-local.ts`), handed in, so that
 * this module depends on that one's types only.
 */
import type { DynamoLocal, StartOptions } from './dynamodb-local.ts';

/** Deaths older than this are forgiven: a database that dies once a day is restarted every time. */
export const RESTART_WINDOW_MS = 10 * 60_000;

/** DynamoDB Local died more often than it may be restarted. */
export class DynamoLocalKeepsDyingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DynamoLocalKeepsDyingError';
  }
}

/** DynamoDB Local kept alive: the same endpoint (port and data folder) across restarts of its Java child. */
export interface SupervisedDynamoLocal {
  readonly endpoint: string;
  /** The pid of the Java child running now. */
  pid(): number | undefined;
  /** Kills the Java child at once; for `process.on('exit')`, where nothing can be awaited. */
  killNow(): void;
  /** Stops the Java child and restarts no more. */
  stop(): Promise<void>;
}

export interface SuperviseOptions extends StartOptions {
  /** Restarts allowed within {@link RESTART_WINDOW_MS}; one more death gives up. */
  readonly maxRestarts: number;
  readonly windowMs?: number;
  /** Wait before a restart, times the deaths in the window (a crash loop should not spin). */
  readonly restartDelayMs?: number;
  readonly log: (line: string) => void;
  /** A restarted child answers; `pid` is its process. */
  readonly onRestart?: (pid: number | undefined) => void;
  /** Called once, after the last child is gone, when it kept dying. */
  readonly onGiveUp: (error: DynamoLocalKeepsDyingError) => void;
}

/** The supervisor: the child running now, the recent deaths, and whether it is stopping. */
export class DynamoSupervisor implements SupervisedDynamoLocal {
  readonly endpoint: string;
  private readonly windowMs: number;
  private readonly deaths: number[] = [];
  private stopping = false;
  private restarting: Promise<void> | undefined;

  private constructor(
    private readonly options: SuperviseOptions,
    private readonly port: number,
    private readonly startChild: () => Promise<DynamoLocal>,
    private current: DynamoLocal,
  ) {
    this.endpoint = current.endpoint;
    this.windowMs = options.windowMs ?? RESTART_WINDOW_MS;
    this.watch(current);
  }

  /** Starts the first child on `port` (through `startChild`) and watches it. */
  static async start(
    options: SuperviseOptions,
    port: number,
    startChild: () => Promise<DynamoLocal>,
  ): Promise<DynamoSupervisor> {
    return new DynamoSupervisor(options, port, startChild, await startChild());
  }

  pid(): number | undefined {
    return this.current.process.pid;
  }

  killNow(): void {
    const child = this.current.process;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.restarting;
    await this.current.stop();
  }

  private watch(instance: DynamoLocal): void {
    instance.process.once('exit', (code, signal) => {
      if (this.stopping) return;
      this.restarting = this.restartAfter(exitDescription(code, signal), instance.recentOutput());
    });
  }

  private async restartAfter(reason: string, output: string): Promise<void> {
    if (this.givenUpAfterDeath(reason, output)) return;
    this.logDeath(reason, output);
    const delayMs = (this.options.restartDelayMs ?? 500) * this.deaths.length;
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (this.stopping) return;
    let next: DynamoLocal;
    try {
      next = await this.startChild();
    } catch (error) {
      if (!this.stopping) await this.restartAfter('the restart failed', (error as Error).message);
      return;
    }
    this.current = next;
    if (this.stopping) return; // stop() stops it after this promise
    this.watch(next);
    this.options.log(`DynamoDB Local restarted (pid ${next.process.pid}) on ${next.endpoint}`);
    this.options.onRestart?.(next.process.pid);
  }

  /** Counts a death within the window; past the restarts allowed, stops for good and calls `onGiveUp`. */
  private givenUpAfterDeath(reason: string, output: string): boolean {
    const now = Date.now();
    this.deaths.push(now);
    while ((this.deaths[0] ?? now) < now - this.windowMs) this.deaths.shift();
    if (this.deaths.length <= this.options.maxRestarts) return false;
    this.stopping = true;
    this.options.onGiveUp(
      new DynamoLocalKeepsDyingError(
        `DynamoDB Local died ${this.deaths.length} times within ${Math.round(this.windowMs / 60_000)} min ` +
          `(allowed restarts: ${this.options.maxRestarts}, DYNAMODB_LOCAL_RESTARTS); last: ${reason}` +
          lastLines(output),
      ),
    );
    return true;
  }

  private logDeath(reason: string, output: string): void {
    const { log, maxRestarts, heap } = this.options;
    log(
      `DynamoDB Local died (${reason}); restarting it on port ${this.port} (restart ${this.deaths.length} of ${maxRestarts})`,
    );
    if (output.includes('OutOfMemoryError')) {
      log(`DynamoDB Local ran out of heap (${heap ?? 'default'}); DYNAMODB_LOCAL_HEAP raises it`);
    }
  }
}

function exitDescription(code: number | null, signal: NodeJS.Signals | null): string {
  return signal === null ? `exit code ${code}` : `killed by ${signal}`;
}

function lastLines(output: string): string {
  const lines = output.split('\n').slice(-5).join('\n').trim();
  return lines === '' ? '' : `\nits last output:\n${lines}`;
}
