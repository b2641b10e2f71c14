/**
 * The drop folder: the S3 bucket in the cloud. Every adapter speaks in S3 keys (`incoming/<source>/…`,
 * `processed/…`, `rejected/…`, `reports/…`); the worker and the API see only this interface. The cloud
 * handlers get the S3 adapter; the local runtime passes its folder on disk (`local/adapters/`) to the
 * same handler factories, so no local code reaches a Lambda bundle.
 */
import type { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

export interface DropObject {
  readonly size: number;
}

export interface DropStore {
  /** A stream of the object's bytes. */
  read(key: string): Promise<AsyncIterable<Uint8Array>>;
  head(key: string): Promise<DropObject | undefined>;
  /** Moves an object (copy, then delete); moving a key that is gone already is not an error. */
  move(fromKey: string, toKey: string): Promise<void>;
  put(key: string, body: string | Uint8Array, contentType: string): Promise<void>;
  /** A URL the caller PUTs the file to. */
  presignPut(key: string, expiresInSeconds: number): Promise<string>;
}

/** S3 keys are URL-encoded in event notifications, with spaces as '+'. */
export function decodeS3Key(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

export function createS3DropStore(bucket: string, client: S3Client = new S3Client({})): DropStore {
  return {
    async read(key) {
      const result = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return result.Body as Readable;
    },
    async head(key) {
      try {
        const result = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return { size: result.ContentLength ?? 0 };
      } catch (error) {
        if ((error as { name?: string }).name === 'NotFound') return undefined;
        throw error;
      }
    },
    async move(fromKey, toKey) {
      try {
        await client.send(
          new CopyObjectCommand({
            Bucket: bucket,
            Key: toKey,
            CopySource: `${bucket}/${fromKey.split('/').map(encodeURIComponent).join('/')}`,
          }),
        );
      } catch (error) {
        if ((error as { name?: string }).name === 'NoSuchKey') return;
        throw error;
      }
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: fromKey }));
    },
    async put(key, body, contentType) {
      await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }),
      );
    },
    presignPut(key, expiresInSeconds) {
      return getSignedUrl(client, new PutObjectCommand({ Bucket: bucket, Key: key }), {
        expiresIn: expiresInSeconds,
      });
    },
  };
}
