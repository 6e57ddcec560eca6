/** A Redis URL safe to print: user name kept, password replaced. */
export function redactUrl(url: string | undefined): string {
  if (url === undefined) return '(none)';
  // A cluster URL's host list (h1:p1,h2:p2) is no valid URL authority: redact by hand.
  if (/^rediss?\+cluster:\/\//i.test(url)) return url.replace(/^([^/]*\/\/[^:@/]*):.*@/, '$1:***@');
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(invalid url)';
  }
}
