/**
 * Configuration: each function parses its own variables when its handler module loads and fails with
 * the variable's name; the import worker cannot start without its queue.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvalidConfigurationError } from '#shared/config.ts';
import { ENV } from '#shared/env-names.ts';
import { readApiConfig } from '../../functions/api/config.ts';
import { IMPORT_ENVIRONMENT, readImportConfig } from '../../functions/import/config.ts';

const IMPORT_VARIABLES = {
  [ENV.tableName]: 'credit-governance',
  [ENV.bucketName]: 'drop-folder',
  [ENV.importQueueUrl]: 'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/import',
};

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe('readImportConfig', () => {
  it('reads the worker’s variables, the chunk size only when set', () => {
    // Act
    const config = readImportConfig(IMPORT_VARIABLES);
    const chunked = readImportConfig({ ...IMPORT_VARIABLES, [ENV.importChunkRows]: '20000' });
    // Assess
    expect(config).toEqual({
      tableName: 'credit-governance',
      bucketName: 'drop-folder',
      importQueueUrl: IMPORT_VARIABLES[ENV.importQueueUrl],
    });
    expect(chunked.importChunkRows).toBe(20_000);
  });

  it('requires the import queue: without it every chunk would run inline', () => {
    const { [ENV.importQueueUrl]: _queue, ...withoutQueue } = IMPORT_VARIABLES;
    expect(() => readImportConfig(withoutQueue)).toThrow(
      'invalid configuration: IMPORT_QUEUE_URL is required',
    );
    expect(() => readImportConfig({ ...withoutQueue, [ENV.importQueueUrl]: '  ' })).toThrow(
      'invalid configuration: IMPORT_QUEUE_URL is required',
    );
  });

  it('names each variable that is missing or wrong', () => {
    fc.assert(
      fc.property(fc.subarray([...IMPORT_ENVIRONMENT.requires], { minLength: 1 }), (missing) => {
        const env = Object.fromEntries(
          Object.entries(IMPORT_VARIABLES).filter(([name]) => !missing.includes(name)),
        );
        try {
          readImportConfig(env);
          return false;
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidConfigurationError);
          for (const name of missing) expect((error as Error).message).toContain(`${name} is required`);
          return true;
        }
      }),
    );
    expect(() => readImportConfig({ ...IMPORT_VARIABLES, [ENV.importQueueUrl]: 'local' })).toThrow(
      'IMPORT_QUEUE_URL must be an http(s) URL',
    );
    expect(() => readImportConfig({ ...IMPORT_VARIABLES, [ENV.importChunkRows]: '0' })).toThrow(
      'IMPORT_CHUNK_ROWS must be a whole number above zero',
    );
  });

  it('reads no variable of the local runtime', () => {
    expect(IMPORT_ENVIRONMENT.reads.filter((name) => /^LOCAL_|DYNAMODB_ENDPOINT/.test(name))).toEqual([]);
  });
});

describe('readApiConfig', () => {
  it('requires the table by name', () => {
    expect(() => readApiConfig({})).toThrow('invalid configuration: TABLE_NAME is required');
  });
});

describe('the cloud handler modules', () => {
  it('fail when they load, naming the variable, rather than at first use', async () => {
    // Prepare
    for (const [name, value] of Object.entries(IMPORT_VARIABLES)) vi.stubEnv(name, value);
    vi.stubEnv(ENV.importQueueUrl, undefined);
    // Act
    const loading = import('../../functions/import/handler.ts');
    // Assess
    await expect(loading).rejects.toThrow('invalid configuration: IMPORT_QUEUE_URL is required');
  });

  it('load with their variables set and export the handler', async () => {
    // Prepare
    for (const [name, value] of Object.entries(IMPORT_VARIABLES)) vi.stubEnv(name, value);
    vi.stubEnv('AWS_REGION', 'cn-north-1');
    // Act
    const module = await import('../../functions/import/handler.ts');
    // Assess
    expect(typeof module.handler).toBe('function');
  });
});
