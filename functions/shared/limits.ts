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

/**
 * Batches of one stream shard the trail function handles at once (the event source mapping's
 * ParallelizationFactor, at most 10; the local stream reader does the same). Records of one item stay in
 * order: a shard's records are split by their partition key. Trail entries are independent puts, so the
 * trail keeps pace with an import that writes chunks in parallel instead of falling a batch at a time
 * behind. Measured on DynamoDB Local, where the import and the trail share one database thread
 * (`npm run bench -- --import --rows 10000`): 4 left the trail 10.2 s behind the receipt, 8 left it 4.7 s
 * behind, at the same import speed.
 */
export const TRAIL_STREAM_PARALLELIZATION = 8;
