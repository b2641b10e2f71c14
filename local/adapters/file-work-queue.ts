/**
 * The import queue on one machine: the work queue the handlers see, writing into the local runtime's
 * queue folder (`$LOCAL_DIR/queue/import/`), where its poller delivers the messages as SQS would.
 */
import type { WorkQueue } from '#shared/work-queue.ts';
import { writeQueueMessage } from '../queue.ts';

/** A work queue over `queueDir` (`$LOCAL_DIR/queue`). */
export function createFileWorkQueue(queueDir: string): WorkQueue {
  return {
    async send(body) {
      await writeQueueMessage(queueDir, body);
    },
  };
}
