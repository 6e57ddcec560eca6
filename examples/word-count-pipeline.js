/**
 * An example batchline pipeline plug-in: counts words, lines and characters.
 *
 *   batchline run examples/sample-batch.jsonl --pipeline ./examples/word-count-pipeline.js
 *
 * The contract (see src/pipeline/types.ts):
 * - Export a default object `{ name, version, run }`. A named export `pipeline` works too.
 * - `name`: 1-64 letters, digits, ".", "_" or "-". It names the pipeline in results and
 *   cache keys.
 * - `version`: any non-empty string. It is part of every cache key, so bump it whenever
 *   `run` may return something different for the same document; otherwise artifacts
 *   cached by the old code keep being served.
 * - `run(doc, { signal })`: `doc` is `{ id, text, type?, meta? }`. Return (or resolve to)
 *   a plain JSON object, the document's artifact. Make it depend on `doc` only (no clock,
 *   no randomness): a cached artifact stands in for a fresh run. `signal` aborts when the
 *   job's time limit passes or the worker shuts down; long-running work should stop then.
 * - Throwing (or rejecting) marks that document failed with your error's message; the
 *   rest of the batch carries on.
 * - Optional `patterns: { fingerprint(artifact), observe(artifact) }`: the hook through
 *   which batchline learns your documents' templates after each batch (see `PatternHook`
 *   in src/pipeline/types.ts); `run` then gets what was learned as hints through
 *   `context.patterns`. Word counts have no templates, so this one has none.
 *
 * Plain ESM JavaScript with no dependencies, so it loads without a build step.
 */

const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

export default {
  name: 'word-count',
  version: '1',

  run(doc) {
    if (typeof doc.text !== 'string') throw new Error(`document ${doc.id} has no text`);
    const words = doc.text.match(WORD) ?? [];
    const distinct = new Set(words.map((word) => word.toLowerCase()));
    return {
      words: words.length,
      distinctWords: distinct.size,
      lines: doc.text === '' ? 0 : doc.text.split('\n').length,
      characters: doc.text.length,
    };
  },
};
