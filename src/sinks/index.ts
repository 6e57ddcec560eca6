/** The sinks area's public face: writing results out. */
export { writeLinesAtomically } from './jsonl-export.js';
