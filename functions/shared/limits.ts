/**
 * Limits shared by the stack and the code: the stack configures the functions with them, the bench
 * measures under them.
 */

/**
 * The import worker's V8 old-space limit. Its live memory is bounded (streamed files, buffers of 2 000
 * rows, key digests), so a modest heap keeps garbage collection prompt and the process under 256 MB
 * whatever the file's size; the Lambda's memory setting is larger for CPU, not for the heap.
 */
export const IMPORT_WORKER_HEAP_MB = 160;
