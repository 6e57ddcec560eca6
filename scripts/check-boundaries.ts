/**
 * The area boundaries of src/, checked by `npm run lint` (and a unit test):
 * - an area (a folder directly under src/) is used from outside only through its
 *   `index.ts`: no deep imports across areas (src/'s top-level modules — errors, log,
 *   time — are shared by all and imported directly);
 * - `pipeline` and `semantic` import nothing of `cache`, `queue` or `worker`: they are
 *   below them; `batches` imports nothing of `patterns`, `queue`, `worker` or `ingest`: it
 *   raises "batch finished" and knows nothing of who listens (and loads no BullMQ);
 * - `patterns` imports only types of `pipeline`: it learns through the pattern hook of
 *   whatever pipeline made a batch, never by running a pipeline's code (extract's);
 * - only `src/config` reads `process.env` (everything else gets resolved config).
 * Prints one line per violation and exits 1 when there is any.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Areas that must not depend on the ones listed. */
const FORBIDDEN: Readonly<Record<string, readonly string[]>> = {
  pipeline: ['cache', 'queue', 'worker'],
  semantic: ['cache', 'queue', 'worker'],
  batches: ['patterns', 'queue', 'worker', 'ingest'],
};

/** Areas that may import only types (`import type`, `{ type X }`) of the ones listed. */
const TYPES_ONLY: Readonly<Record<string, readonly string[]>> = {
  patterns: ['pipeline'],
};

const importPattern = /(?:from\s+|import\s*\(\s*)'(\.[^']+)'/g;
/** An import or re-export statement with a `from`, or a dynamic import: whether it is type-only, its names, its path. */
const statementPattern = /\b(?:import|export)\s+(type\s+)?(?:\{([^}]*)\}|[^;'{}]*?)\s*from\s+'(\.[^']+)'|\bimport\s*\(\s*'(\.[^']+)'/g;

/** Relative paths a file imports values from (not only types): what runs when it loads. */
function valueImports(text: string): string[] {
  const paths: string[] = [];
  for (const [, typeKeyword, names, from, dynamic] of text.matchAll(statementPattern)) {
    if (dynamic) paths.push(dynamic);
    else if (from && !typeKeyword && !(names !== undefined && names.split(',').every((name) => /^\s*(type\s|$)/.test(name)))) paths.push(from);
  }
  return paths;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The area of a path relative to src/ (its first folder), or undefined for a top-level module. */
function areaOf(relative: string): string | undefined {
  const parts = relative.split(/[\\/]/);
  return parts.length > 1 ? parts[0] : undefined;
}

/** Every boundary violation under `srcDir`, one line each (`file: problem`). */
export function findViolations(srcDir: string): string[] {
  const problems: string[] = [];
  for (const file of sourceFiles(srcDir)) {
    const relative = path.relative(srcDir, file);
    const area = areaOf(relative);
    const text = readFileSync(file, 'utf8');
    if (area !== 'config' && /\bprocess\.env\b/.test(text)) problems.push(`${relative}: reads process.env (only src/config may)`);
    for (const match of text.matchAll(importPattern)) {
      const target = path.relative(srcDir, path.resolve(path.dirname(file), match[1]!));
      const targetArea = areaOf(target);
      if (targetArea === undefined || targetArea === area) continue;
      if (area !== undefined && FORBIDDEN[area]?.includes(targetArea)) {
        problems.push(`${relative}: ${area} must not import ${targetArea} ('${match[1]}')`);
      } else if (target.replace(/\\/g, '/') !== `${targetArea}/index.js`) {
        problems.push(`${relative}: deep import into ${targetArea} ('${match[1]}'); import ${targetArea}/index.js`);
      }
    }
    if (area === undefined || !TYPES_ONLY[area]) continue;
    for (const from of valueImports(text)) {
      const targetArea = areaOf(path.relative(srcDir, path.resolve(path.dirname(file), from)));
      if (targetArea !== undefined && TYPES_ONLY[area]?.includes(targetArea)) {
        problems.push(`${relative}: ${area} may import only types of ${targetArea} ('${from}')`);
      }
    }
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const problems = findViolations(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'src'));
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) {
    console.error(`${problems.length} area boundary violation(s): see scripts/check-boundaries.ts`);
    process.exit(1);
  }
}
