/** The classify Lambda in the cloud: configuration parsed when the module loads, one table client. */
import { cloudStore } from '#storage/client.ts';
import { readClassifyConfig } from './config.ts';
import { createClassifyHandler } from './create-handler.ts';

const config = readClassifyConfig(process.env);

export const handler = createClassifyHandler({
  store: cloudStore(config),
});
