/**
 * Loads the Lambda handlers the local runtime calls. They are imported only after the environment is
 * set, since they read their configuration at first use; a handler whose file is not written yet is
 * reported as missing instead of failing the whole runtime.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The Lambda functions by name, with their entry files. */
export const HANDLER_FILES = {
  api: '../functions/api/handler.ts',
  exits: '../functions/exits/handler.ts',
  import: '../functions/import/handler.ts',
  evaluate: '../functions/evaluate/handler.ts',
  classify: '../functions/classify/handler.ts',
} as const;

export type FunctionName = keyof typeof HANDLER_FILES;

/** The handler of `name`, or undefined when its file does not exist yet. */
export async function loadHandler<T>(name: FunctionName): Promise<T | undefined> {
  const url = new URL(HANDLER_FILES[name], import.meta.url);
  if (!existsSync(fileURLToPath(url))) return undefined;
  const module = (await import(url.href)) as { handler?: T };
  if (typeof module.handler !== 'function') throw new Error(`${HANDLER_FILES[name]} exports no handler`);
  return module.handler;
}
