/**
 * The import worker Lambda without its configuration: SQS messages carrying S3 ObjectCreated
 * notifications of the drop folder, or our own chunk and release messages. Each message that fails is
 * reported as a partial batch failure, so SQS redelivers only it (and after five receives parks it in
 * the dead-letter queue). The cloud entry (`handler.ts`) and the local runtime build it with their
 * own dependencies; this module reads no environment, so anything may import it.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from 'zod';
import { importMessageSchema } from '#shared/drop-folder.ts';
import { decodeS3Key } from '#shared/object-store.ts';
import { checkObject, isCheckKey } from './check-file.ts';
import { type ImportDeps, importObject, processChunk, releaseImport } from './worker.ts';

const s3Notification = z.object({
  Records: z.array(
    z.object({
      eventName: z.string(),
      s3: z.object({
        bucket: z.object({ name: z.string() }),
        object: z.object({ key: z.string(), eTag: z.string().optional(), sequencer: z.string().optional() }),
      }),
    }),
  ),
});
const s3TestEvent = z.object({ Event: z.literal('s3:TestEvent') });

/** Handles one message body; throws when it should be retried. */
export async function handleMessage(deps: ImportDeps, body: string): Promise<void> {
  const parsed: unknown = JSON.parse(body);
  const own = importMessageSchema.safeParse(parsed);
  if (own.success) {
    if (own.data.kind === 'import-chunk') await processChunk(deps, own.data.importId, own.data.chunk);
    else await releaseImport(deps, own.data.importId);
    return;
  }
  if (s3TestEvent.safeParse(parsed).success) return;
  const notification = s3Notification.parse(parsed);
  for (const record of notification.Records) {
    if (!record.eventName.startsWith('ObjectCreated')) continue;
    const object = {
      key: decodeS3Key(record.s3.object.key),
      ...(record.s3.object.eTag === undefined ? {} : { eTag: record.s3.object.eTag }),
      ...(record.s3.object.sequencer === undefined ? {} : { sequencer: record.s3.object.sequencer }),
    };
    // a file of codes to check is answered, not imported
    await (isCheckKey(object.key) ? checkObject(deps, object) : importObject(deps, object));
  }
}

/** The Lambda handler over `deps`. */
export function createImportHandler(deps: ImportDeps): (event: SQSEvent) => Promise<SQSBatchResponse> {
  return async (event) => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const message of event.Records) {
      try {
        await handleMessage(deps, message.body);
      } catch (error) {
        deps.log.error('message failed; it will be retried', {
          messageId: message.messageId,
          error: (error as Error).message,
        });
        batchItemFailures.push({ itemIdentifier: message.messageId });
      }
    }
    return { batchItemFailures };
  };
}
