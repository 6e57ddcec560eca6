/**
 * `npm run bench -- <name>`: runs one benchmark (or all with no name). Benchmarks are
 * never part of `npm test`: they take minutes and their figures depend on the machine.
 * Each prints its figures and a ratio against a baseline measured in the same run.
 */
const benchmarks: Record<string, () => Promise<unknown>> = {
  queue: () => import('./queue.js'),
  ingest: () => import('./ingest.js'),
  cache: () => import('./cache.js'),
  'cache-cost': () => import('./cache-cost.js'),
  soak: () => import('./soak.js'),
  semantic: () => import('./semantic.js'),
  llm: () => import('./llm.js'),
  faults: () => import('./faults.js'),
  hostile: () => import('./hostile.js'),
  status: () => import('./status-export.js'),
};

const requested = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const names = requested.length > 0 ? requested : Object.keys(benchmarks);
for (const name of names) {
  const load = benchmarks[name];
  if (!load) {
    process.stderr.write(`unknown benchmark "${name}"; known: ${Object.keys(benchmarks).join(', ')}\n`);
    process.exit(2);
  }
  process.stdout.write(`\n## ${name}\n`);
  await load();
}
