/**
 * Redis Cluster URLs: `redis+cluster://[user:password@]host1:port1,host2:port2,...`
 * (`rediss+cluster://` for TLS). The hosts are seed nodes: the client learns the rest of
 * the cluster (every master and replica) from any one of them. Credentials and TLS apply
 * to every node. A cluster has only database 0, so a path is refused.
 */

export interface ClusterNode {
  readonly host: string;
  readonly port: number;
}

export interface ClusterUrl {
  readonly nodes: readonly ClusterNode[];
  readonly tls: boolean;
  readonly username?: string;
  readonly password?: string;
}

const schemes = ['redis+cluster:', 'rediss+cluster:'] as const;

/** Whether `url` names a Redis Cluster (its scheme is `redis+cluster:` or `rediss+cluster:`). */
export function isClusterUrl(url: string): boolean {
  const scheme = url.slice(0, url.indexOf('//')).toLowerCase();
  return (schemes as readonly string[]).includes(scheme);
}

/** Parses a cluster URL; throws an Error whose message says what is wrong (never echoing the password). */
export function parseClusterUrl(url: string): ClusterUrl {
  const schemeEnd = url.indexOf('//');
  const scheme = url.slice(0, schemeEnd).toLowerCase();
  if (!(schemes as readonly string[]).includes(scheme)) throw new Error('must start with redis+cluster:// or rediss+cluster://');
  let rest = url.slice(schemeEnd + 2);
  if (/[/?#]/.test(rest.replace(/\/$/, ''))) {
    throw new Error('a cluster URL takes no database, path or query (a cluster has only database 0)');
  }
  rest = rest.replace(/\/$/, '');
  const at = rest.lastIndexOf('@');
  const userInfo = at >= 0 ? rest.slice(0, at) : '';
  const hostList = at >= 0 ? rest.slice(at + 1) : rest;
  const colon = userInfo.indexOf(':');
  const username = decodeURIComponent(colon >= 0 ? userInfo.slice(0, colon) : userInfo);
  const password = colon >= 0 ? decodeURIComponent(userInfo.slice(colon + 1)) : '';
  const nodes = hostList.split(',').map(parseNode);
  return {
    nodes,
    tls: scheme === 'rediss+cluster:',
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
  };
}

function parseNode(text: string): ClusterNode {
  // `[::1]:7000` or `host:7000`; the port is required: cluster nodes rarely listen on 6379 alone.
  const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(text.trim());
  if (!match) throw new Error(`seed node "${text}" must be host:port (a cluster URL lists host:port pairs separated by commas)`);
  const port = Number(match[2]);
  if (port < 1 || port > 65_535) throw new Error(`seed node "${text}" has a port outside 1-65535`);
  return { host: (match[1] as string).replace(/^\[(.*)\]$/, '$1'), port };
}

/**
 * The hash tag Redis Cluster hashes a key by: the text between the first `{` and the
 * first `}` after it, when not empty. Keys that share it share a slot. Undefined when the
 * prefix has none (then every key hashes on its own).
 */
export function hashTagOf(key: string): string | undefined {
  const open = key.indexOf('{');
  if (open < 0) return undefined;
  const close = key.indexOf('}', open + 1);
  if (close <= open + 1) return undefined;
  return key.slice(open + 1, close);
}
