/** The fields tests read from batchline's pino lines. */
export type LogLine = { msg?: string; component?: string; to?: string; pid?: number; cache?: Record<string, number> };

/** Every JSON log line in a process's stderr (other output is skipped). */
export function logLines(stderr: string): LogLine[] {
  return stderr.split('\n').flatMap((line) => {
    try {
      return [JSON.parse(line) as LogLine];
    } catch {
      return [];
    }
  });
}
