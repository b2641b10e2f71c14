/**
 * Where the one-machine runtime keeps its state. The local contract (README.md) fixes `PORT`
 * (default 3000) and `LOCAL_DIR` (default `.local`, relative to the working directory); every path here is
 * absolute because DynamoDB Local runs with its own working directory and would misread a relative one.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CHECK_SOURCE } from '#shared/drop-folder.ts';
import { IMPORT_SOURCES } from '#shared/import-receipt.ts';

export const DEFAULT_PORT = 3000;
export const DEFAULT_LOCAL_DIR = '.local';
/** One folder each under `incoming/`: every import source, and `check` for batch checks. */
export const DROP_SOURCE_FOLDERS: readonly string[] = [...IMPORT_SOURCES, CHECK_SOURCE];

export interface LocalPaths {
  /** `$LOCAL_DIR`, absolute. */
  readonly root: string;
  /** DynamoDB Local's database files. */
  readonly dynamodb: string;
  /** Stands in for the drop-folder bucket: the `LOCAL_DROP_DIR` of the handlers. */
  readonly dropbox: string;
  readonly incoming: string;
  readonly processed: string;
  readonly rejected: string;
  readonly reports: string;
  /** Partial uploads live here until they are renamed into place. */
  readonly dropTmp: string;
  /** Stands in for the import queue: the `LOCAL_QUEUE_DIR` of the handlers. */
  readonly queue: string;
  /** Messages waiting for the import worker. */
  readonly queueImport: string;
  /** The dead-letter queue. */
  readonly queueDead: string;
  readonly runtimeFile: string;
  readonly jwtSecretFile: string;
}

/** The port the HTTP server listens on, from `PORT`. */
export function resolvePort(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.PORT?.trim();
  if (raw === undefined || raw === '') return DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`PORT must be a port number between 1 and 65535, got "${raw}"`);
  }
  return port;
}

/** `$LOCAL_DIR` as an absolute path. */
export function resolveLocalDir(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  const raw = env.LOCAL_DIR?.trim();
  return resolve(cwd, raw === undefined || raw === '' ? DEFAULT_LOCAL_DIR : raw);
}

/** Every folder and file of the runtime under one `$LOCAL_DIR`. */
export function localPaths(localDir: string): LocalPaths {
  const root = resolve(localDir);
  const dropbox = join(root, 'dropbox');
  const queue = join(root, 'queue');
  return {
    root,
    dynamodb: join(root, 'dynamodb'),
    dropbox,
    incoming: join(dropbox, 'incoming'),
    processed: join(dropbox, 'processed'),
    rejected: join(dropbox, 'rejected'),
    reports: join(dropbox, 'reports'),
    dropTmp: join(dropbox, '.tmp'),
    queue,
    queueImport: join(queue, 'import'),
    queueDead: join(queue, 'dead'),
    runtimeFile: join(root, 'runtime.json'),
    jwtSecretFile: join(root, 'jwt-secret'),
  };
}

/**
 * Creates every folder of the runtime, the source folders under `incoming/` included (so that
 * `cp 名单.csv .local/dropbox/incoming/push/` works on a fresh folder); harmless when they exist.
 */
export async function ensureLocalFolders(paths: LocalPaths): Promise<void> {
  const folders = [
    paths.dynamodb,
    paths.incoming,
    ...DROP_SOURCE_FOLDERS.map((source) => join(paths.incoming, source)),
    paths.processed,
    paths.rejected,
    paths.reports,
    paths.dropTmp,
    paths.queueImport,
    paths.queueDead,
  ];
  for (const folder of folders) await mkdir(folder, { recursive: true });
}
