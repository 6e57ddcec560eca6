import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';

/*
 * A small network of Linux network namespaces: one namespace per host, each with an
 * `eth0` veth whose peer sits on a bridge in a namespace of its own (the switch). The
 * private addresses (10.213.x.0/24) exist only inside namespaces this helper created;
 * the machine's own namespace gets neither an address nor an interface. Unplugging a
 * host's switch port is a real partition: its packets go nowhere, nobody gets an error.
 * Needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN); tests skip without it.
 */

export interface LabHost {
  name: string;
  /** The host's network namespace. */
  ns: string;
  /** Its address on the lab network. */
  address: string;
  /** Prefix that runs a command on the host: `[...launcher, 'redis-cli', ...]`. */
  launcher: readonly string[];
}

function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Whether this process may create network namespaces (it tries one). When not, the
 * tests using them are skipped, saying why on stderr.
 */
export function netnsTestsRunnable(): boolean {
  const probe = `blprobe-${randomBytes(4).toString('hex')}`;
  try {
    ip('netns', 'add', probe);
    ip('netns', 'del', probe);
    return true;
  } catch (error) {
    const why = String((error as { stderr?: unknown }).stderr ?? (error as Error).message).trim();
    process.stderr.write(`\nnetwork namespace tests SKIPPED: \`ip netns add\` is not permitted here (${why}); they need root with CAP_NET_ADMIN and CAP_SYS_ADMIN\n\n`);
    return false;
  }
}

export class NetworkLab {
  private readonly children = new Set<ChildProcess>();

  private constructor(
    /** Namespace holding the bridge: each host's switch port is an interface named after it there. */
    private readonly switchNs: string,
    private readonly hosts: Map<string, LabHost>,
  ) {}

  /**
   * Creates the switch and one host per name (names of at most 15 characters, since they
   * name the switch ports). On any failure, removes whatever it had created.
   */
  static create(names: readonly string[]): NetworkLab {
    const run = `bl${randomBytes(3).toString('hex')}`;
    const subnet = `10.213.${randomInt(0, 256)}`;
    const lab = new NetworkLab(`${run}-switch`, new Map());
    try {
      ip('netns', 'add', lab.switchNs);
      ip('-n', lab.switchNs, 'link', 'add', 'br0', 'type', 'bridge');
      ip('-n', lab.switchNs, 'link', 'set', 'br0', 'up');
      names.forEach((name, i) => {
        const ns = `${run}-${name}`;
        const host: LabHost = { name, ns, address: `${subnet}.${10 + i}`, launcher: ['ip', 'netns', 'exec', ns] };
        ip('netns', 'add', ns);
        lab.hosts.set(name, host);
        ip('link', 'add', 'eth0', 'netns', ns, 'type', 'veth', 'peer', 'name', name, 'netns', lab.switchNs);
        ip('-n', lab.switchNs, 'link', 'set', 'dev', name, 'master', 'br0', 'up');
        ip('-n', ns, 'addr', 'add', `${host.address}/24`, 'dev', 'eth0');
        ip('-n', ns, 'link', 'set', 'lo', 'up');
        ip('-n', ns, 'link', 'set', 'eth0', 'up');
      });
    } catch (error) {
      lab.destroy();
      throw error;
    }
    return lab;
  }

  host(name: string): LabHost {
    const host = this.hosts.get(name);
    if (!host) throw new RangeError(`no host ${name} in this lab`);
    return host;
  }

  /**
   * Starts a process on a host (`ip netns exec` execs it: `child.pid` is the process's own).
   * `destroy()` kills it if it is still running then; should this test process die first,
   * a watchdog holding a pipe from it kills the process when the pipe closes.
   */
  spawn(name: string, argv: readonly string[], env: NodeJS.ProcessEnv): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', this.host(name).ns, ...argv], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const watchdog = spawn('sh', ['-c', 'read _; kill -KILL "$1" 2>/dev/null', 'lab-watchdog', String(child.pid)], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    watchdog.unref();
    (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    this.children.add(child);
    // Killed rather than told: once the process is gone its pid may belong to another.
    child.once('exit', () => {
      watchdog.kill('SIGKILL');
      this.children.delete(child);
    });
    return child;
  }

  /** Unplugs the host's switch port: from now on its packets are dropped, in both directions. */
  disconnect(name: string): void {
    ip('-n', this.switchNs, 'link', 'set', 'dev', this.host(name).name, 'down');
  }

  /** Plugs the host's switch port back in. */
  reconnect(name: string): void {
    ip('-n', this.switchNs, 'link', 'set', 'dev', this.host(name).name, 'up');
  }

  /**
   * Kills the processes it started and deletes every namespace (their interfaces go with
   * them). Servers started on a host (RedisServer with the host's launcher) must be stopped
   * first by their owner. Never throws: it runs in afterAll, after failures too.
   */
  destroy(): void {
    for (const child of this.children) child.kill('SIGKILL');
    for (const ns of [...[...this.hosts.values()].map((host) => host.ns), this.switchNs]) {
      try {
        ip('netns', 'del', ns);
      } catch {
        // never created
      }
    }
  }
}
