// Preloaded with `node --import` into the processes `npm run bench -- ingest` measures: when
// the process exits, writes its peak resident memory and CPU time to BENCH_PROBE_FILE, so
// the figure is that process's own (the bench's memory does not count) and the measured
// program runs unchanged. Plain JavaScript so it loads without a transpiler.
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.env.BENCH_PROBE_FILE;

/** VmHWM, the kernel's high-water mark of resident memory (Linux), in KiB. */
function vmHwmKb() {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined; // not Linux
  }
}

if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(
      file,
      JSON.stringify({
        peakRssKb: vmHwmKb() ?? usage.maxRSS, // maxRSS: the same figure where /proc is missing
        cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1_000,
      }),
    );
  });
}
