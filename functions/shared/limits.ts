/**
 * Limits shared by the stack and the code: the stack configures the functions with them, the bench
 * measures under them.
 */

/**
 * V8 flags of the import worker. Its live heap stays near 50 MB whatever the file's size (streamed
 * files, buffers of 2 000 rows, key digests); without a cap V8 lets garbage grow the heap to several
 * times that before collecting, which is what a peak-RSS budget sees. Measured on the 100 000-row bench
 * push: the same speed, peak RSS about 175 MB instead of about 335 MB.
 */
export const IMPORT_WORKER_NODE_OPTIONS: readonly string[] = [
  '--max-old-space-size=96',
  '--max-semi-space-size=4',
];
