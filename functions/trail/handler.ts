/**
 * The trail Lambda: the table's stream (filtered to audited item types, so never its own entries),
 * one trail entry per change with who, why, before and after. Partial batch responses: a failed write
 * names the first record to redeliver; the event source mapping retries, bisects and finally sends the
 * batch's position to the on-failure queue.
 */
import { createLogger } from '#shared/logger.ts';
import { createDocumentClient } from '#storage/client.ts';
import { readTrailConfig } from './config.ts';
import { createTrailHandler } from './create-handler.ts';

const config = readTrailConfig(process.env);

export const handler = createTrailHandler({
  store: { client: createDocumentClient(), tableName: config.tableName },
  log: createLogger({ function: 'trail' }),
});
