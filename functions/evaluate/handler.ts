/** The evaluate Lambda in the cloud: configuration parsed when the module loads, clients made once. */

import { createLogger } from '#shared/logger.ts';
import { createS3DropStore } from '#shared/object-store.ts';
import { cloudStore } from '#storage/client.ts';
import { readEvaluateConfig } from './config.ts';
import { createEvaluateHandler } from './create-handler.ts';

const config = readEvaluateConfig(process.env);

export const handler = createEvaluateHandler({
  store: cloudStore(config),
  drop: createS3DropStore(config.bucketName),
  logger: createLogger({ function: 'evaluate' }),
});
