/**
 * A file of codes dropped in `incoming/check/`: every code checked as `POST /checks` checks it, in parts
 * of a thousand (each part one recorded check, which the trail reads), the result written for the clerk
 * to `outgoing/check/<name>-结果.csv` and `.xlsx`, and the file archived under `processed/check/`. A file
 * that cannot be read is set aside under `rejected/check/` with a report in Chinese, and nothing checked.
 */
import type { CheckAnswer } from '#domain/checks.ts';
import type { ChangedBy } from '#domain/trail.ts';
import {
  type CheckedFileCode,
  checkResultCsv,
  checkResultRows,
  checkResultXlsx,
} from '#shared/check-result-files.ts';
import { CHECK_SOURCE, DROP_PREFIX } from '#shared/drop-folder.ts';
import { runCheck } from '#storage/check-store.ts';
import { type CodeInFile, readCheckCodes } from './check-codes.ts';
import { importIdForObject, parseIncomingKey } from './incoming.ts';
import { FileRejectedError } from './parse/errors.ts';
import type { ImportDeps } from './run-context.ts';

/** Codes per recorded check: the size of a `POST /checks` batch. */
const CODES_PER_CHECK = 1_000;

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** True for a key under `incoming/check/`. */
export function isCheckKey(key: string): boolean {
  return parseIncomingKey(key)?.source === CHECK_SOURCE;
}

/** Who asked: the drop folder, for the file's check. */
function dropFolderActor(checkId: string): ChangedBy {
  return { principal: 'drop-folder', role: 'system', cause: { kind: 'request', id: checkId } };
}

/** The file's name without its folder and extension: `企业名单.xlsx` → `企业名单`. */
export function resultBaseName(fileName: string): string {
  const name = fileName.split('/').pop() ?? fileName;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/** The answers for the file's codes, one recorded check per thousand. */
async function checkCodes(deps: ImportDeps, checkId: string, key: string, codes: readonly CodeInFile[]) {
  const answers: CheckAnswer[] = [];
  for (let start = 0; start < codes.length; start += CODES_PER_CHECK) {
    const part = codes.slice(start, start + CODES_PER_CHECK);
    const partId = codes.length > CODES_PER_CHECK ? `${checkId}-${start / CODES_PER_CHECK + 1}` : checkId;
    answers.push(
      ...(await runCheck(deps.store, {
        checkId: partId,
        codes: part.map(({ code }) => code),
        actor: dropFolderActor(checkId),
        channel: 'drop-folder',
        fileKey: key,
      })),
    );
  }
  return answers;
}

async function writeResults(deps: ImportDeps, fileName: string, checked: readonly CheckedFileCode[]) {
  const rows = checkResultRows(checked);
  const base = `${DROP_PREFIX.outgoing}${CHECK_SOURCE}/${resultBaseName(fileName)}-结果`;
  await deps.drop.put(`${base}.csv`, checkResultCsv(rows), 'text/csv; charset=utf-8');
  await deps.drop.put(`${base}.xlsx`, await checkResultXlsx(rows), XLSX_TYPE);
}

async function rejectFile(deps: ImportDeps, key: string, target: string, fileName: string, message: string) {
  await deps.drop.move(key, target);
  await deps.drop.put(
    `${target}.错误报告.txt`,
    `文件：${fileName}\n结果：未核查\n原因：${message}\n`,
    'text/plain; charset=utf-8',
  );
}

/** Handles the S3 notification of a file under `incoming/check/`. */
export async function checkObject(
  deps: ImportDeps,
  object: { key: string; eTag?: string; sequencer?: string },
): Promise<void> {
  const incoming = parseIncomingKey(object.key);
  if (incoming === undefined) return;
  if ((await deps.drop.head(object.key)) === undefined) {
    deps.log.warn('the object is gone; a repeated notification', { key: object.key });
    return;
  }
  const checkId = incoming.importId ?? importIdForObject(object.key, object.eTag, object.sequencer);
  const log = deps.log.child({ checkId });
  let codes: CodeInFile[];
  try {
    codes = await readCheckCodes(await deps.drop.read(object.key), {
      maxBytes: deps.settings.maxBytes,
      maxRows: deps.settings.maxRows,
    });
  } catch (error) {
    if (!(error instanceof FileRejectedError)) throw error;
    const target = `${DROP_PREFIX.rejected}${CHECK_SOURCE}/${checkId}/${incoming.fileName}`;
    await rejectFile(deps, object.key, target, incoming.fileName, error.message);
    log.warn('check file rejected', { reason: error.reason });
    return;
  }
  const answers = await checkCodes(deps, checkId, object.key, codes);
  const checked = codes.map(({ sheet, line }, index) => ({
    sheet,
    line,
    answer: answers[index] as CheckAnswer,
  }));
  await writeResults(deps, incoming.fileName, checked);
  await deps.drop.move(object.key, `${DROP_PREFIX.processed}${CHECK_SOURCE}/${checkId}/${incoming.fileName}`);
  log.info('check file answered', { codes: codes.length, listed: answers.filter((a) => a.listed).length });
}
