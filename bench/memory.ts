/**
 * What the peak RSS is made of: the V8 heap in use, memory outside it (buffers), and the RSS before
 * the measured work began (Node, the loader and the modules). Sampled, so peaks shorter than the
 * interval can be missed; `process.resourceUsage().maxRSS` stays the figure the budget is checked on.
 */
export interface MemoryPeaks {
  /** RSS when sampling started, after the modules were loaded. */
  readonly startRssMb: number;
  readonly rssMb: number;
  readonly heapUsedMb: number;
  readonly heapTotalMb: number;
  readonly externalMb: number;
  readonly arrayBuffersMb: number;
  readonly samples: number;
  /** Every second sample: milliseconds since `origin`, RSS and heap used in MB. */
  readonly timeline: [number, number, number][];
}

const INTERVAL_MS = 50;
const TIMELINE_EVERY = 2;
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** Samples memory until stopped; `origin` is the `performance.now()` the timeline counts from. */
export function sampleMemory(origin: number): { stop(): MemoryPeaks } {
  const startRss = process.memoryUsage.rss();
  const peak = { rss: 0, heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
  let samples = 0;
  const timeline: [number, number, number][] = [];
  const sample = () => {
    const usage = process.memoryUsage();
    if (samples % TIMELINE_EVERY === 0)
      timeline.push([Math.round(performance.now() - origin), mb(usage.rss), mb(usage.heapUsed)]);
    samples++;
    peak.rss = Math.max(peak.rss, usage.rss);
    peak.heapUsed = Math.max(peak.heapUsed, usage.heapUsed);
    peak.heapTotal = Math.max(peak.heapTotal, usage.heapTotal);
    peak.external = Math.max(peak.external, usage.external);
    peak.arrayBuffers = Math.max(peak.arrayBuffers, usage.arrayBuffers);
  };
  const timer = setInterval(sample, INTERVAL_MS);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      return {
        startRssMb: mb(startRss),
        rssMb: mb(peak.rss),
        heapUsedMb: mb(peak.heapUsed),
        heapTotalMb: mb(peak.heapTotal),
        externalMb: mb(peak.external),
        arrayBuffersMb: mb(peak.arrayBuffers),
        samples,
        timeline,
      };
    },
  };
}
