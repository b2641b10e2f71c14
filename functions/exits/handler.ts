/** The exits Lambda in the cloud: configuration parsed when the module loads, one table client. */
import { createS3DropStore, type DropStore } from '#shared/object-store.ts';
import { cloudStore } from '#storage/client.ts';
import { readExitsConfig } from './config.ts';
import { createExitsHandler } from './create-handler.ts';
import { createEvidenceVerifier } from './evidence.ts';

const config = readExitsConfig(process.env);

let bucket: DropStore | undefined;
/** Created at first use: routes that touch no evidence never build an S3 client. */
const drop = () => {
  bucket ??= createS3DropStore(config.bucketName);
  return bucket;
};

export const handler = createExitsHandler({
  store: cloudStore(config),
  drop,
  verifyEvidence: createEvidenceVerifier(drop),
});
