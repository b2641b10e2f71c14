/** An import worker against this test file's table and a drop folder in a temporary directory. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { silentLogger } from '#shared/logger.ts';
import type { WorkQueue } from '#shared/work-queue.ts';
import { handleMessage } from '../../functions/import/create-handler.ts';
import {
  DEFAULT_IMPORT_SETTINGS,
  type ImportDeps,
  type ImportSettings,
} from '../../functions/import/worker.ts';
import { createFileDropStore } from '../../local/adapters/file-drop-store.ts';
import type { TestTable } from './dynamo.ts';

export interface ImportHarness {
  readonly deps: ImportDeps;
  readonly root: string;
  readonly sent: string[];
  /** Puts a file into the drop folder and returns its key. */
  drop(source: string, fileName: string, content: string | Uint8Array): string;
  /** Delivers the S3 notification of a key, as S3 → SQS would (key URL-encoded). */
  notify(key: string, eTag?: string): Promise<void>;
  /** Delivers every queued chunk message until none is left. */
  drain(): Promise<void>;
}

export function s3NotificationBody(key: string, eTag = 'etag-1'): string {
  const encoded = key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%20/g, '+'))
    .join('/');
  return JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'cn-north-1',
        eventTime: new Date().toISOString(),
        eventName: 'ObjectCreated:Put',
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'incoming',
          bucket: { name: 'drop', arn: 'arn:aws-cn:s3:::drop' },
          object: { key: encoded, size: 1, eTag, sequencer: '0055AED6DCD90281E5' },
        },
      },
    ],
  });
}

export function createImportHarness(
  table: TestTable,
  options: { settings?: Partial<ImportSettings>; withQueue?: boolean; now?: () => Date } = {},
): ImportHarness {
  const root = mkdtempSync(join(tmpdir(), 'drop-'));
  const sent: string[] = [];
  const queue: WorkQueue = {
    send: async (body) => {
      sent.push(body);
    },
  };
  const deps: ImportDeps = {
    store: {
      client: table.documentClient,
      tableName: table.tableName,
      clock: { now: options.now ?? (() => new Date()) },
    },
    drop: createFileDropStore(root),
    ...(options.withQueue === true ? { queue } : {}),
    settings: { ...DEFAULT_IMPORT_SETTINGS, ...options.settings },
    log: silentLogger,
  };
  return {
    deps,
    root,
    sent,
    drop(source, fileName, content) {
      const key = `incoming/${source}/${fileName}`;
      mkdirSync(dirname(join(root, key)), { recursive: true });
      writeFileSync(join(root, key), content);
      return key;
    },
    notify: (key, eTag) => handleMessage(deps, s3NotificationBody(key, eTag)),
    async drain() {
      while (sent.length > 0) await handleMessage(deps, sent.shift() as string);
    },
  };
}
