/**
 * `npm run code-size [-- --json] [-- --top N --file-lines N --function-lines N] [folders…]`: the largest
 * files and the longest functions of the given folders (default `functions` and `local`), so that anyone
 * can rerun the measure behind a review. Lines are counted from the first token to the last, comments
 * and blank lines inside included.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { parseArgs } from 'node:util';
import {
  DEFAULT_LIMITS,
  type FileSize,
  measureSource,
  type RankedFunction,
  rankSizes,
  type SizeLimits,
  type SizeReport,
} from './measure-code.ts';

const DEFAULT_FOLDERS = ['functions', 'local'];
const SKIPPED_FOLDERS = new Set(['node_modules', 'cdk.out', '.local', '.git']);

interface Options {
  readonly folders: readonly string[];
  readonly json: boolean;
  readonly limits: SizeLimits;
}

function readOptions(argv: readonly string[]): Options {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      top: { type: 'string' },
      'file-lines': { type: 'string' },
      'function-lines': { type: 'string' },
    },
  });
  return {
    folders: positionals.length > 0 ? positionals : DEFAULT_FOLDERS,
    json: values.json ?? false,
    limits: {
      top: wholeNumber('--top', values.top, DEFAULT_LIMITS.top),
      fileLines: wholeNumber('--file-lines', values['file-lines'], DEFAULT_LIMITS.fileLines),
      functionLines: wholeNumber('--function-lines', values['function-lines'], DEFAULT_LIMITS.functionLines),
    },
  };
}

function wholeNumber(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${flag} wants a whole number, got ${raw}`);
  return value;
}

/** TypeScript sources under a folder, declaration files left out, in path order. */
async function sourceFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && /\.[cm]?tsx?$/.test(entry.name) && !/\.d\.[cm]?ts$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => !path.split(sep).some((part) => SKIPPED_FOLDERS.has(part)))
    .sort();
}

async function measureFolders(folders: readonly string[]): Promise<FileSize[]> {
  const files = (await Promise.all(folders.map(sourceFiles))).flat();
  return Promise.all(
    files.map(async (path) => measureSource(displayPath(path), await readFile(path, 'utf8'))),
  );
}

/** Repository-relative with forward slashes, as `file:line` links in editors and reviews want it. */
function displayPath(path: string): string {
  return relative(process.cwd(), path).split(sep).join('/');
}

function formatReport(report: SizeReport, options: Options): string {
  const { limits } = options;
  const fileRow = ({ file, lines }: { file: string; lines: number }) => `${pad(lines)}  ${file}`;
  const functionRow = (fn: RankedFunction) =>
    `${pad(fn.lines)}  ${fn.file}:${fn.line}  ${fn.name} (${fn.kind})`;
  return [
    `Code size of ${options.folders.join(', ')}: ${report.files} files, ${report.lines} lines, ${report.functions} named functions`,
    '',
    `The ${limits.top} largest files (lines):`,
    ...orNone(report.largestFiles.map(fileRow)),
    '',
    `Files over ${limits.fileLines} lines: ${report.filesOverLimit.length}`,
    ...orNone(report.filesOverLimit.map(fileRow)),
    '',
    `The ${limits.top} longest functions (lines, first to last line):`,
    ...orNone(report.longestFunctions.map(functionRow)),
    '',
    `Functions over ${limits.functionLines} lines: ${report.functionsOverLimit.length}`,
    ...orNone(report.functionsOverLimit.map(functionRow)),
    '',
  ].join('\n');
}

function pad(lines: number): string {
  return String(lines).padStart(6);
}

function orNone(rows: readonly string[]): readonly string[] {
  return rows.length > 0 ? rows : ['  (none)'];
}

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2));
  const report = rankSizes(await measureFolders(options.folders), options.limits);
  process.stdout.write(
    options.json
      ? `${JSON.stringify({ folders: options.folders, limits: options.limits, ...report }, null, 2)}\n`
      : formatReport(report, options),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`code-size: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
