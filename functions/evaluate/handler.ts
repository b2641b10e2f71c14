/** The evaluate Lambda in the cloud: configuration parsed when the module loads, clients made once. */

import { createReportWriter } from '#shared/evaluation-report/report-files.ts';
import { createLogger } from '#shared/logger.ts';
import { createS3DropStore } from '#shared/object-store.ts';
import { cloudStore } from '#storage/client.ts';
import { reportContextReader } from '#storage/evaluation-report-context.ts';
import { readEvaluateConfig } from './config.ts';
import { createEvaluateHandler } from './create-handler.ts';

const config = readEvaluateConfig(process.env);

const store = cloudStore(config);
const drop = createS3DropStore(config.bucketName);

export const handler = createEvaluateHandler({
  store,
  drop,
  logger: createLogger({ function: 'evaluate' }),
  writeReports: createReportWriter(drop, reportContextReader(store)),
});
