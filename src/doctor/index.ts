/** The doctor area's public face: checking a deployment (broker, cache, schedules). */
export { doctorExitCode, runDoctor } from './run-doctor.js';
