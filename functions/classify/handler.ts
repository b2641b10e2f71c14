/**
 * The classify Lambda in the cloud: the table's stream (triage kept current, re-triage runs) and the daily
 * schedule. Configuration parsed when the module loads, one table client.
 */
import { createLogger } from '#shared/logger.ts';
import { cloudStore } from '#storage/client.ts';
import { readClassifyConfig } from './config.ts';
import { createClassifyHandler } from './create-handler.ts';

const config = readClassifyConfig(process.env);

export const handler = createClassifyHandler({
  store: cloudStore(config),
  log: createLogger({ function: 'classify' }),
});
