/**
 * The API Lambda in the cloud: its configuration is parsed when this module loads, so a missing variable
 * fails the cold start with its name, and the clients are made once per instance. The local runtime
 * never imports this module: it calls `createApiHandler` with its own stand-ins.
 */
import { readApiConfig } from './config.ts';
import { createApiHandler } from './create-handler.ts';
import { cloudApiDeps } from './deps.ts';

const config = readApiConfig(process.env);

export const handler = createApiHandler(cloudApiDeps(config));
