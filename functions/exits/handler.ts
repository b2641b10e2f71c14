/** The exits Lambda in the cloud: configuration parsed when the module loads, one table client. */
import { cloudStore } from '#storage/client.ts';
import { readExitsConfig } from './config.ts';
import { createExitsHandler } from './create-handler.ts';

const config = readExitsConfig(process.env);

export const handler = createExitsHandler({
  store: cloudStore(config),
});
