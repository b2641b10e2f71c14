/**
 * Evidence files of exit submissions: uploaded like an import (a presigned PUT) under
 * `evidence/<department>/<uploadId>/<fileName>`, never inline in a request; a submission names the key
 * and the file's SHA-256, and the key must hold exactly those bytes when the department submits.
 */
import { createHash } from 'node:crypto';
import type { Evidence } from '#domain/exits.ts';
import { DROP_PREFIX } from '#shared/drop-folder.ts';
import type { DropStore } from '#shared/object-store.ts';

/** Where evidence files live in the bucket: outside `incoming/`, which alone is imported. */
export const EVIDENCE_PREFIX = DROP_PREFIX.evidence;

export const MAX_EVIDENCE_FILE_NAME_LENGTH = 120;

/** What an office keeps evidence in: scans, photos, office documents, OFD (the national e-document format). */
const EVIDENCE_EXTENSION = /\.(pdf|ofd|jpg|jpeg|png|tif|tiff|doc|docx|xls|xlsx|zip)$/i;
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
const CONTROL_CHARACTERS = /\p{Cc}/u;

/** Why an evidence file name is refused, in Chinese; undefined when it is accepted. */
export function evidenceFileNameProblem(name: string): string | undefined {
  if (name === '') return '文件名不能为空';
  if ([...name].length > MAX_EVIDENCE_FILE_NAME_LENGTH)
    return `文件名不能超过 ${MAX_EVIDENCE_FILE_NAME_LENGTH} 个字符`;
  if (name.includes('/') || name.includes('\\')) return '文件名不能包含文件夹（“/”或“\\”）';
  if (CONTROL_CHARACTERS.test(name)) return '文件名不能包含控制字符（如换行、制表符）';
  if (BIDI_CONTROLS.test(name)) return '文件名不能包含改变文字方向的不可见字符';
  if (name.startsWith('.')) return '文件名不能以“.”开头';
  if (!EVIDENCE_EXTENSION.test(name))
    return '证明材料只接受 pdf、ofd、jpg、jpeg、png、tif、tiff、doc、docx、xls、xlsx 或 zip 文件';
  return undefined;
}

/**
 * The folder of a department's evidence: a hash of its name, so that a key carries no Chinese and
 * reveals no department, and one department's uploads stay under one prefix.
 */
export function departmentFolder(department: string): string {
  return createHash('sha256').update(department, 'utf8').digest('hex').slice(0, 16);
}

/** `evidence/<department hash>/<uploadId>/<fileName>`. */
export function evidenceKey(department: string, uploadId: string, fileName: string): string {
  return `${EVIDENCE_PREFIX}${departmentFolder(department)}/${uploadId}/${fileName}`;
}

async function sha256Of(bytes: AsyncIterable<Uint8Array>): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of bytes) hash.update(chunk);
  return hash.digest('hex');
}

/**
 * The `verifyEvidence` hook of the exits function: an item whose `ref` is an uploaded file's key must
 * name its SHA-256, and the file must be there with exactly that content. Document numbers pass as they
 * are. Answers the problem in Chinese, or undefined.
 */
export function createEvidenceVerifier(drop: () => DropStore) {
  return async (evidence: Evidence): Promise<string | undefined> => {
    if (!evidence.ref.startsWith(EVIDENCE_PREFIX)) return undefined;
    const fileName = evidence.ref.split('/').at(-1) ?? evidence.ref;
    if (evidence.sha256 === undefined) return `上传的证明材料“${fileName}”须填写其 SHA-256（sha256）`;
    const store = drop();
    if ((await store.head(evidence.ref)) === undefined)
      return `证明材料文件“${fileName}”尚未上传（${evidence.ref}）：请先用上传地址上传该文件`;
    const actual = await sha256Of(await store.read(evidence.ref));
    if (actual !== evidence.sha256.toLowerCase())
      return `证明材料文件“${fileName}”的 SHA-256 与申报所填不一致：文件可能上传不完整或已被替换，请重新上传`;
    return undefined;
  };
}
