import { createHash } from 'node:crypto';
import net from 'node:net';

/*
 * A TCP proxy in front of a redis-server that reads the RESP commands clients send, so a
 * test can act at one chosen command: lose its reply (forward it, let the broker execute
 * it, then reset the connection before the client hears back), or run a callback the
 * moment it is forwarded (e.g. SIGKILL the client right after a given ingest step).
 */

/** One command a client sent, as the proxy saw it. */
export interface SeenCommand {
  /** Upper-case command name: EVALSHA, EXEC, HMGET, ... */
  name: string;
  /** Its arguments (not the name), decoded as latin1; arguments over 256 KiB are left empty. */
  args: string[];
  /** For EXEC: the commands queued since MULTI on this connection. */
  queued: SeenCommand[];
}

export type CommandMatcher = (command: SeenCommand) => boolean;

/** How many units (documents, ...) a matching command carries; `skip` counts units. */
export type CommandWeight = (command: SeenCommand) => number;

interface Fault {
  match: CommandMatcher;
  /** Matching commands (or units of `weigh`) to let through before acting. */
  skip: number;
  weigh?: CommandWeight | undefined;
  action: 'drop-reply' | 'callback';
  callback?: (command: SeenCommand) => void;
  fired: (command: SeenCommand) => void;
  /** For 'drop-reply': reset the connection when this settles (default: 200 ms after the command). */
  resetWhen?: Promise<unknown> | undefined;
}

/** Large enough for every Lua script batchline and BullMQ send with EVAL. */
const MAX_DECODED_ARG = 256 * 1_024;

/** SHA-1 of a Lua script: what EVALSHA names it by (ioredis sends EVALSHA first, EVAL after NOSCRIPT). */
export function scriptSha(lua: string): string {
  return createHash('sha1').update(lua).digest('hex');
}

/** A matcher for one Lua script, whether sent by EVALSHA or EVAL. */
export function isScript(lua: string): CommandMatcher {
  const sha = scriptSha(lua);
  return (command) =>
    (command.name === 'EVALSHA' && command.args[0] === sha) || (command.name === 'EVAL' && command.args[0] === lua);
}

/** A matcher for an EXEC whose transaction holds a command that matches. */
export function isExecOf(inner: CommandMatcher): CommandMatcher {
  return (command) => command.name === 'EXEC' && command.queued.some(inner);
}

/**
 * Parses complete RESP arrays from `buffer` starting at `offset`. Returns each command with
 * the offset just past it; stops at the first incomplete one. Inline commands (a line of
 * text) are parsed too, though no client batchline uses sends them.
 */
function parseCommands(buffer: Buffer): { commands: { command: Omit<SeenCommand, 'queued'>; end: number }[]; consumed: number } {
  const commands: { command: Omit<SeenCommand, 'queued'>; end: number }[] = [];
  let offset = 0;
  outer: while (offset < buffer.length) {
    const lineEnd = buffer.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    if (buffer[offset] !== 0x2a /* '*' */) {
      const words = buffer.toString('latin1', offset, lineEnd).trim().split(/\s+/);
      commands.push({ command: { name: (words[0] ?? '').toUpperCase(), args: words.slice(1) }, end: lineEnd + 2 });
      offset = lineEnd + 2;
      continue;
    }
    const count = Number(buffer.toString('latin1', offset + 1, lineEnd));
    let at = lineEnd + 2;
    const parts: string[] = [];
    for (let i = 0; i < count; i++) {
      const headerEnd = buffer.indexOf('\r\n', at);
      if (headerEnd < 0) break outer;
      const length = Number(buffer.toString('latin1', at + 1, headerEnd));
      const dataStart = headerEnd + 2;
      if (dataStart + length + 2 > buffer.length) break outer;
      parts.push(length <= MAX_DECODED_ARG ? buffer.toString('latin1', dataStart, dataStart + length) : '');
      at = dataStart + length + 2;
    }
    commands.push({ command: { name: (parts[0] ?? '').toUpperCase(), args: parts.slice(1) }, end: at });
    offset = at;
  }
  return { commands, consumed: offset };
}

/** The proxy. `url` is what clients connect to; the broker itself stays at `target`. */
export class FaultProxy {
  private readonly faults: Fault[] = [];
  private readonly sockets = new Set<net.Socket>();
  /** How many commands of each name passed, for tests that want to know a fault had a chance. */
  readonly counts = new Map<string, number>();
  private constructor(
    private readonly server: net.Server,
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  static async start(targetUrl: string): Promise<FaultProxy> {
    const url = new URL(targetUrl);
    const target = { host: url.hostname, port: Number(url.port) };
    let proxy: FaultProxy | undefined;
    const server = net.createServer((client) => proxy?.handle(client));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('proxy has no port');
    proxy = new FaultProxy(server, address.port, target);
    return proxy;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /**
   * Arms a lost reply: the (skip+1)-th command that matches is forwarded and executed, but
   * its reply (and the replies of anything pipelined with it) never reaches the client, and
   * the connection is reset. Resolves with the command once that happened. With `weigh`,
   * the command that carries the (skip+1)-th unit instead (a call carrying several results).
   * The reset comes 200 ms after the command, or when `resetWhen` settles if given (a test
   * that needs something to happen while the client still waits for its reply).
   */
  dropReplyOnce(match: CommandMatcher, skip = 0, weigh?: CommandWeight, resetWhen?: Promise<unknown>): Promise<SeenCommand> {
    return new Promise((fired) => this.faults.push({ match, skip, weigh, action: 'drop-reply', fired, resetWhen }));
  }

  /** Calls `callback` right after the (skip+1)-th matching command was forwarded to the broker. */
  onCommand(match: CommandMatcher, callback: (command: SeenCommand) => void, skip = 0, weigh?: CommandWeight): Promise<SeenCommand> {
    return new Promise((fired) => this.faults.push({ match, skip, weigh, action: 'callback', callback, fired }));
  }

  /** Forgets every armed fault that has not fired. */
  disarm(): void {
    this.faults.splice(0);
  }

  async close(): Promise<void> {
    this.disarm();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(client: net.Socket): void {
    const upstream = net.connect(this.target);
    this.sockets.add(client);
    this.sockets.add(upstream);
    let pending = Buffer.alloc(0);
    let queued: SeenCommand[] | undefined;
    let severed = false;
    const end = () => {
      this.sockets.delete(client);
      this.sockets.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
    upstream.on('data', (data) => {
      if (!severed) client.write(data);
    });
    client.on('data', (data) => {
      if (severed) return;
      pending = pending.length === 0 ? data : Buffer.concat([pending, data]);
      const { commands, consumed } = parseCommands(pending);
      let forwardedTo = 0;
      for (const { command: parsed, end: commandEnd } of commands) {
        const command: SeenCommand = { ...parsed, queued: parsed.name === 'EXEC' ? (queued ?? []) : [] };
        if (command.name === 'MULTI') queued = [];
        else if (command.name === 'EXEC' || command.name === 'DISCARD') queued = undefined;
        else queued?.push(command);
        this.counts.set(command.name, (this.counts.get(command.name) ?? 0) + 1);
        const fault = this.faults.find((candidate) => candidate.match(command));
        const units = fault?.weigh?.(command) ?? 1;
        if (fault && fault.skip >= units) {
          fault.skip -= units;
          continue;
        }
        if (!fault) continue;
        this.faults.splice(this.faults.indexOf(fault), 1);
        // Everything up to and including this command reaches the broker; nothing after it.
        upstream.write(pending.subarray(forwardedTo, commandEnd));
        forwardedTo = commandEnd;
        if (fault.action === 'callback') {
          fault.callback?.(command);
          fault.fired(command);
          continue;
        }
        severed = true;
        // Let the broker execute it, then reset both sides: the client never hears back.
        const reset = () => {
          client.resetAndDestroy();
          upstream.destroy();
          fault.fired(command);
        };
        if (fault.resetWhen) void fault.resetWhen.finally(reset);
        else setTimeout(reset, 200);
        return;
      }
      if (consumed > forwardedTo) upstream.write(pending.subarray(forwardedTo, consumed));
      pending = pending.subarray(consumed);
    });
  }
}
