/** A Redis URL safe to print: user name kept, password replaced. */
export function redactUrl(url: string | undefined): string {
  if (url === undefined) return '(none)';
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(invalid url)';
  }
}
