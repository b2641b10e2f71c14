/** The jobs of `npm run bench -- --memory` and what each child prints (bench/function-memory-child.ts). */
export const MEMORY_JOBS = [
  'api-ledger-xlsx',
  'api-check-1000',
  'exits-queue',
  'evaluate',
  'classify-batch',
] as const;
export type MemoryJob = (typeof MEMORY_JOBS)[number];

export interface MemoryChildResult {
  readonly job: MemoryJob;
  readonly loadedRssMb: number;
  readonly peakRssMb: number;
  readonly ms: number;
  /** What the job produced, to show it did its work: bytes of a file, answers, records. */
  readonly produced: number;
}
