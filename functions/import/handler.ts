/**
 * The import worker Lambda in the cloud: its configuration is parsed when this module loads, so a
 * missing variable fails the cold start with its name, and the S3, SQS and DynamoDB clients are made
 * once per instance. The local runtime never imports this module: it calls `createImportHandler` with
 * its own stand-ins.
 */
import { readImportConfig } from './config.ts';
import { createImportHandler } from './create-handler.ts';
import { cloudImportDeps } from './deps.ts';

const config = readImportConfig(process.env);

export const handler = createImportHandler(cloudImportDeps(config));
