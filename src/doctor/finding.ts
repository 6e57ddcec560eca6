/** One line of `batchline doctor`: what was checked, how it stands, and what to do. */
export interface Finding {
  /** `broker`, `cache`, `embedded`, `schedules`, ... */
  area: string;
  status: 'ok' | 'warn' | 'fail';
  message: string;
}

export const ok = (area: string, message: string): Finding => ({ area, status: 'ok', message });
export const warn = (area: string, message: string): Finding => ({ area, status: 'warn', message });
export const fail = (area: string, message: string): Finding => ({ area, status: 'fail', message });

/** Fields of an INFO reply (`key:value` lines). */
export function parseInfo(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0 && !line.startsWith('#')) fields[line.slice(0, at)] = line.slice(at + 1).trim();
  }
  return fields;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${Math.round(bytes / 1024)} KiB`;
}
