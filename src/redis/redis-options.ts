import { isIP } from 'node:net';
import type { RedisOptions } from 'bullmq';

/**
 * ioredis connection options from a redis:// or rediss:// URL: host, port, ACL user,
 * password, database and TLS. Parsing it here (rather than handing ioredis the URL)
 * keeps one place that knows which parts of a URL are secret.
 */
export function redisOptionsFromUrl(url: string): RedisOptions {
  const parsed = new URL(url);
  const options: RedisOptions = {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port ? Number(parsed.port) : 6379,
  };
  if (parsed.username) options.username = decodeURIComponent(parsed.username);
  if (parsed.password) options.password = decodeURIComponent(parsed.password);
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '') options.db = Number(db);
  // SNI takes host names only (Node warns about an IP address); the certificate is checked against the host either way.
  if (parsed.protocol === 'rediss:') options.tls = isIP(options.host ?? '') ? {} : { servername: options.host };
  return options;
}
