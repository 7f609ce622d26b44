/**
 * A TCP proxy whose connections pass through the toxics injected on its target — Toxiproxy's model,
 * embedded in the test process: no daemon, no HTTP control API, the same toxics.
 *
 * @module
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { ActiveFault } from '../active-fault.js';
import { chaosErrors, invalidOption } from '../errors.js';
import type { ToxicFault } from '../faults.js';
import type { EngineInternals } from '../internal.js';
import type { ChaosRandom } from '../random.js';
import type { TargetState } from '../targets.js';
import { Pipe, type PipeOwner } from './pipe.js';

/** Where a proxy listens, or where its upstream is: `port`, `"host:port"`, or `{ host?, port? }`. */
export type Endpoint = number | string | { readonly host?: string; readonly port?: number };

/** Options of {@link ChaosEngine.proxy}. */
export interface ProxyOptions {
  /** The proxy's target name: what `inject({ kind: 'toxic', … }, { target })` refers to. */
  readonly name: string;
  /** Where to listen; default `127.0.0.1` on a free port. */
  readonly listen?: Endpoint;
  /** The server the proxy forwards to. */
  readonly upstream: Endpoint;
  /** Tags that selectors can match. */
  readonly tags?: readonly string[];
}

const EMPTY: readonly ActiveFault[] = [];

/**
 * The sockets' buffer limit. Node's 16 KiB default is smaller than one 64 KiB read, so `pipe()` would
 * pause and resume the source (two epoll_ctl calls) on nearly every chunk; 256 KiB lets four reads
 * through per pause and bounds what one stalled direction buffers.
 */
const SOCKET_HIGH_WATER = 256 * 1024;

function parseEndpoint(
  value: Endpoint | undefined,
  path: string,
  needPort: boolean,
): { host: string; port: number } {
  let host = '127.0.0.1';
  let port: unknown = 0;
  if (typeof value === 'number') port = value;
  else if (typeof value === 'string') {
    const i = value.lastIndexOf(':');
    if (i <= 0) throw invalidOption(path, '"host:port"', value);
    host = value.slice(0, i).replace(/^\[|\]$/g, '');
    port = Number(value.slice(i + 1));
  } else if (typeof value === 'object' && value !== null) {
    host = value.host ?? host;
    port = value.port ?? 0;
  } else if (value !== undefined) throw invalidOption(path, 'a port, "host:port" or { host, port }', value);
  if (!Number.isInteger(port) || (port as number) < (needPort ? 1 : 0) || (port as number) > 65535) {
    throw invalidOption(`${path}.port`, needPort ? 'a port in [1, 65535]' : 'a port in [0, 65535]', port);
  }
  return { host, port: port as number };
}

/** A running proxy. Close it (or let the engine close it) when done. */
export class ChaosProxy implements AsyncDisposable {
  /** The proxy's target name. */
  readonly name: string;
  /** The upstream it forwards to. */
  readonly upstream: { readonly host: string; readonly port: number };
  readonly #server: Server;
  readonly #engine: EngineInternals;
  readonly #target: TargetState;
  readonly #connections = new Set<Connection>();
  readonly #listen: { host: string; port: number };
  #down = 0;
  #closed = false;
  #unregister: () => void = () => {};
  #unwatch: () => void = () => {};

  /** @internal */
  constructor(engine: EngineInternals, options: ProxyOptions, listen: { host: string; port: number }) {
    this.name = options.name;
    this.#engine = engine;
    this.upstream = parseEndpoint(options.upstream, 'options.upstream', true);
    this.#listen = listen;
    this.#target = engine.register(options.name, 'proxy', options.tags ?? []);
    this.#server = createServer({ allowHalfOpen: true, highWaterMark: SOCKET_HIGH_WATER }, (socket) =>
      this.#accept(socket),
    );
  }

  #onFault(f: ActiveFault, event: 'inject' | 'revert'): void {
    if (f.kind !== 'toxic' || !f.targets.includes(this.name)) return;
    const down = (f.fault as ToxicFault).toxic === 'down';
    if (event === 'revert') {
      if (down) this.#comeUp();
      else for (const c of this.#connections) c.refresh();
    } else if (down) this.#goDown();
    else
      for (const c of this.#connections) {
        c.consider(f);
        c.refresh();
      }
  }

  /** @internal */
  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', (e: Error) =>
        reject(chaosErrors.MSYS_CHAOS_PROXY_FAILED({ name: this.name, reason: e.message }, { cause: e })),
      );
      this.#server.listen(this.#listen.port, this.#listen.host, () => resolve());
    });
    const address = this.#server.address();
    if (typeof address === 'object' && address !== null) this.#listen.port = address.port;
    this.#unwatch = this.#engine.watch((f, event) => this.#onFault(f, event));
    this.#unregister = this.#engine.addCloser(() => this.close());
    for (const f of this.#target.toxics) if ((f.fault as ToxicFault).toxic === 'down') this.#goDown();
    return this;
  }

  /** The address the proxy listens on. */
  get address(): { readonly host: string; readonly port: number } {
    return { host: this.#listen.host, port: this.#listen.port };
  }

  /** Open client connections. */
  get connections(): number {
    return this.#connections.size;
  }

  /** True once closed. */
  get closed(): boolean {
    return this.#closed;
  }

  #accept(client: Socket): void {
    client.setNoDelay(true);
    // Node passes `highWaterMark` on to the socket's Duplex; @types/node 20 does not declare it here.
    const options = {
      port: this.upstream.port,
      host: this.upstream.host,
      allowHalfOpen: true,
      noDelay: true,
      highWaterMark: SOCKET_HIGH_WATER,
    };
    const upstream = connect(options);
    const conn = new Connection(this.#target, this.#engine, client, upstream, () =>
      this.#connections.delete(conn),
    );
    this.#connections.add(conn);
    for (const f of this.#target.toxics) conn.consider(f);
    conn.refresh();
  }

  #goDown(): void {
    this.#down++;
    if (this.#down > 1) return;
    this.#server.close();
    for (const c of this.#connections) c.close();
  }

  #comeUp(): void {
    this.#down = Math.max(0, this.#down - 1);
    if (this.#down > 0 || this.#closed) return;
    this.#server.listen(this.#listen.port, this.#listen.host);
  }

  /**
   * Stops listening and closes every connection.
   *
   * @returns when the listener is closed
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#unwatch();
    this.#unregister();
    for (const c of this.#connections) c.close();
    await new Promise<void>((resolve) => {
      if (!this.#server.listening) return resolve();
      this.#server.close(() => resolve());
    });
  }

  /** Same as {@link ChaosProxy.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

class Connection implements PipeOwner {
  readonly index: number;
  readonly #enabled = new Set<ActiveFault>();
  readonly #decided = new Set<ActiveFault>();
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #pipes: Pipe[];
  #upstream: readonly ActiveFault[] = EMPTY;
  #downstream: readonly ActiveFault[] = EMPTY;
  #random: ChaosRandom | undefined;
  closed = false;

  constructor(
    private readonly target: TargetState,
    private readonly engine: EngineInternals,
    private readonly client: Socket,
    private readonly server: Socket,
    private readonly onClose: () => void,
  ) {
    this.index = target.calls++;
    this.#pipes = [new Pipe(client, server, 'upstream', this), new Pipe(server, client, 'downstream', this)];
    // Half-open sockets: a FIN travels through its pipe (and its slow_close) like data does; the
    // connection ends when both sockets have closed, or at once on an error.
    let open = 2;
    const closedOne = () => {
      if (--open === 0) this.close();
    };
    client.on('error', () => this.close()).on('close', closedOne);
    server.on('error', () => this.#reset()).on('close', closedOne);
  }

  get random(): ChaosRandom {
    this.#random ??= this.target.random.fork(`conn:${this.index}`);
    return this.#random;
  }

  /** Decides once per connection whether a toxic acts on it (its toxicity), and starts timed toxics. */
  consider(f: ActiveFault): boolean {
    if (!this.#decided.has(f)) {
      this.#decided.add(f);
      const firing = this.engine.decide(this.target, this.index, [f], false);
      if (firing?.some((x) => x.fault === f)) {
        this.#enabled.add(f);
        this.#start(f);
      }
    }
    return this.#enabled.has(f);
  }

  #start(f: ActiveFault): void {
    const spec = f.fault as ToxicFault;
    if (spec.toxic === 'reset_peer') {
      if ((spec.timeoutMs ?? 0) === 0) queueMicrotask(() => this.#reset());
      else this.#timers.push(setTimeout(() => this.#reset(), spec.timeoutMs));
    } else if (spec.toxic === 'timeout' && (spec.timeoutMs ?? 0) > 0) {
      this.#timers.push(setTimeout(() => this.close(), spec.timeoutMs));
    }
  }

  toxics(direction: 'upstream' | 'downstream'): readonly ActiveFault[] {
    return direction === 'upstream' ? this.#upstream : this.#downstream;
  }

  /** Recomputes the toxics acting on each direction's bytes and lets the pipes switch mode. */
  refresh(): void {
    if (this.closed) return;
    this.#upstream = this.#onBytes('upstream');
    this.#downstream = this.#onBytes('downstream');
    for (const p of this.#pipes) p.sync();
  }

  #onBytes(direction: 'upstream' | 'downstream'): readonly ActiveFault[] {
    let out: ActiveFault[] | undefined;
    for (const f of this.target.toxics) {
      const spec = f.fault as ToxicFault;
      if (spec.toxic === 'down' || spec.toxic === 'reset_peer') continue; // they act on the connection
      if ((spec.stream ?? 'downstream') !== direction || !this.consider(f)) continue;
      if (out === undefined) out = [f];
      else out.push(f);
    }
    return out ?? EMPTY;
  }

  #reset(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.#timers) clearTimeout(t);
    // An RST, not a FIN: the client's next read fails with ECONNRESET.
    if (!this.client.destroyed) this.client.resetAndDestroy();
    this.server.destroy();
    this.onClose();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.#timers) clearTimeout(t);
    this.client.destroy();
    this.server.destroy();
    this.onClose();
  }
}

/** @internal */
export async function openProxy(engine: EngineInternals, options: ProxyOptions): Promise<ChaosProxy> {
  if (typeof options !== 'object' || options === null)
    throw invalidOption('options', '{ name, listen?, upstream }', options);
  if (typeof options.name !== 'string' || options.name.length === 0) {
    throw invalidOption('options.name', 'a non-empty string', options.name);
  }
  const listen = parseEndpoint(options.listen, 'options.listen', false);
  return new ChaosProxy(engine, options, listen).start();
}
