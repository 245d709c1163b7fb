/**
 * LabFixture: the driver for a lab fixture that power-cycles drives and loads, ejects and swaps
 * discs from an autoloader, speaking the line protocol of protocol.ts (docs/lab-fixture.md) over a
 * serial port (the optional `serialport` package, loaded on first use) or any byte stream.
 *
 * - Every request carries a tag (`@n`); a response with another tag (a late answer to a request
 *   that timed out, or output left in the port's buffer from before) is ignored, so one late answer
 *   never shifts the others. Event lines (`* ...`) are handed to `on('event')`.
 * - Requests go one at a time (a fixture runs one mechanical action at a time), each with its verb's
 *   timeout (FIXTURE_TIMEOUT_MS, or `timeoutMs`). A timeout rejects with FixtureError code TIMEOUT.
 * - `ERR CODE text` rejects with FixtureError carrying `code`; the port closing rejects what is
 *   outstanding with code CLOSED.
 */
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { FIXTURE_PROTOCOL, FIXTURE_TIMEOUT_MS, LineSplitter, decodeLine, encodeRequest, parseFields, type FixtureVerb } from './protocol.js';

export class FixtureError extends Error {
  /** The fixture's ERR code (BADARG, PREVENTED, ...), or TIMEOUT / CLOSED / PROTOCOL from the driver. */
  readonly code: string;
  constructor(code: string, message: string) {
    super(`lab fixture: ${code} ${message}`);
    this.name = 'FixtureError';
    this.code = code;
  }
}

export interface FixtureHello {
  readonly protocol: string;
  readonly drives: number;
  readonly slots: number;
  readonly fields: Record<string, string>;
}

export interface FixtureDriveStatus {
  readonly drive: number;
  readonly power: 'on' | 'off';
  readonly tray: 'open' | 'closed';
  /** Media kind in the drive (`cd-rw`), or `none`. */
  readonly media: string;
  readonly fields: Record<string, string>;
}

export interface LabFixtureOptions {
  /** Overrides every verb's timeout (ms). */
  readonly timeoutMs?: number;
}

export interface SerialFixtureOptions extends LabFixtureOptions {
  /** Default 115200 (8N1). */
  readonly baudRate?: number;
}

interface Waiter {
  readonly tag: number;
  readonly resolve: (text: string) => void;
  readonly reject: (e: Error) => void;
  readonly timer: NodeJS.Timeout;
}

export interface LabFixtureEvents {
  event: [text: string];
}

export class LabFixture extends EventEmitter<LabFixtureEvents> {
  private readonly stream: Duplex;
  private readonly opts: LabFixtureOptions;
  private readonly splitter = new LineSplitter();
  private nextTag = 1;
  private waiter: Waiter | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private closedReason: string | undefined;

  /** A fixture on an already open byte stream (a serial port, a TCP socket, ...). */
  constructor(stream: Duplex, opts: LabFixtureOptions = {}) {
    super();
    this.stream = stream;
    this.opts = opts;
    stream.on('data', (chunk: Buffer) => {
      for (const line of this.splitter.push(chunk)) this.onLine(line);
    });
    const gone = (why: string) => () => this.gone(why);
    stream.on('close', gone('the port closed'));
    stream.on('end', gone('the port ended'));
    stream.on('error', (e: Error) => this.gone(`port error: ${e.message}`));
  }

  /** Opens the serial port `path` (`/dev/ttyUSB0`, `COM3`, a pty) and checks the fixture's HELLO. */
  static async open(path: string, opts: SerialFixtureOptions = {}): Promise<LabFixture> {
    if (typeof path !== 'string' || path === '') throw new TypeError('path must be a non-empty string');
    const SerialPort = await loadSerialPort();
    const port: Duplex = await new Promise((resolve, reject) => {
      const p = new SerialPort({ path, baudRate: opts.baudRate ?? 115200 }, (err?: Error | null) => (err ? reject(new FixtureError('CLOSED', `cannot open ${path}: ${err.message}`)) : resolve(p)));
    });
    const f = new LabFixture(port, opts);
    try {
      await f.hello();
    } catch (e) {
      await f.close();
      throw e;
    }
    return f;
  }

  get closed(): boolean {
    return this.closedReason !== undefined;
  }

  async hello(): Promise<FixtureHello> {
    const text = await this.request('HELLO', []);
    const protocol = text.split(' ')[0] ?? '';
    if (protocol !== FIXTURE_PROTOCOL) throw new FixtureError('PROTOCOL', `speaks ${JSON.stringify(protocol)}, not ${FIXTURE_PROTOCOL}`);
    const fields = parseFields(text);
    return { protocol, drives: Number(fields.drives ?? 1), slots: Number(fields.slots ?? 0), fields };
  }

  async status(drive = 0): Promise<FixtureDriveStatus> {
    return driveStatus(await this.request('STATUS', [driveArg(drive)]));
  }

  /** POWER ON / OFF / CYCLE: OFF makes the drive vanish from its bus; ON powers it up (a power-on reset). */
  async power(state: 'on' | 'off' | 'cycle', drive = 0): Promise<FixtureDriveStatus> {
    if (state !== 'on' && state !== 'off' && state !== 'cycle') throw new TypeError(`state must be 'on', 'off' or 'cycle', got ${String(state)}`);
    return driveStatus(await this.request('POWER', [state.toUpperCase(), driveArg(drive)]));
  }

  /** Opens the tray, taking the disc out; `force` ejects even while the drive prevents removal. */
  async eject(drive = 0, opts: { force?: boolean } = {}): Promise<FixtureDriveStatus> {
    return driveStatus(await this.request('EJECT', [...(opts.force ? ['FORCE'] : []), driveArg(drive)]));
  }

  /** Puts the disc of autoloader slot `slot` (1-based) into the drive and closes the tray. */
  async load(slot: number, drive = 0): Promise<FixtureDriveStatus> {
    if (!Number.isInteger(slot) || slot < 1) throw new TypeError(`slot must be an integer ≥ 1, got ${slot}`);
    return driveStatus(await this.request('LOAD', [String(slot), driveArg(drive)]));
  }

  /** Replaces the disc in the drive by a blank one of `kind` (`cd-rw`, `dvd+r`, ...). */
  async swap(kind: string, drive = 0): Promise<FixtureDriveStatus> {
    if (typeof kind !== 'string' || !/^[a-z0-9+-]+$/i.test(kind)) throw new TypeError(`kind must be a media kind such as cd-rw, got ${JSON.stringify(kind)}`);
    return driveStatus(await this.request('SWAP', [kind.toLowerCase(), driveArg(drive)]));
  }

  /** The autoloader's slots: slot number → media kind, or `empty`. */
  async slots(): Promise<Map<number, string>> {
    const text = await this.request('SLOTS', []);
    return new Map(Object.entries(parseFields(text)).map(([k, v]) => [Number(k), v] as const));
  }

  /** Sends one request and resolves with the OK text (`timeoutMs` overrides the verb's timeout). */
  request(verb: FixtureVerb, args: readonly string[], opts: { timeoutMs?: number } = {}): Promise<string> {
    const run = () => this.send(verb, args, opts.timeoutMs);
    const p = this.chain.then(run, run);
    this.chain = p.catch(() => undefined);
    return p;
  }

  async close(): Promise<void> {
    this.gone('closed');
    if (this.stream.destroyed) return;
    await new Promise<void>((resolve) => {
      this.stream.once('close', () => resolve());
      this.stream.destroy();
    });
  }

  private send(verb: FixtureVerb, args: readonly string[], timeoutMs: number | undefined): Promise<string> {
    if (this.closedReason !== undefined) return Promise.reject(new FixtureError('CLOSED', this.closedReason));
    const tag = this.nextTag;
    this.nextTag = this.nextTag >= 99_999_999 ? 1 : this.nextTag + 1;
    const line = encodeRequest({ tag, verb, args });
    const ms = timeoutMs ?? this.opts.timeoutMs ?? FIXTURE_TIMEOUT_MS[verb];
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new FixtureError('TIMEOUT', `no answer to ${verb} within ${ms} ms`));
      }, ms);
      this.waiter = { tag, resolve, reject, timer };
      this.stream.write(line);
    });
  }

  private onLine(raw: string): void {
    const l = decodeLine(raw);
    if (l.kind === 'event') {
      this.emit('event', l.text);
      return;
    }
    const w = this.waiter;
    if (l.kind !== 'response' || !w || l.response.tag !== w.tag) return;
    this.waiter = undefined;
    clearTimeout(w.timer);
    const r = l.response;
    if (r.ok) w.resolve(r.text);
    else w.reject(new FixtureError(r.code, r.text));
  }

  private gone(why: string): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = why;
    const w = this.waiter;
    this.waiter = undefined;
    if (w) {
      clearTimeout(w.timer);
      w.reject(new FixtureError('CLOSED', why));
    }
  }
}

function driveArg(drive: number): string {
  if (!Number.isInteger(drive) || drive < 0) throw new TypeError(`drive must be an integer ≥ 0, got ${drive}`);
  return String(drive);
}

function driveStatus(text: string): FixtureDriveStatus {
  const fields = parseFields(text);
  const power = fields.power === 'off' ? 'off' : 'on';
  const tray = fields.tray === 'open' ? 'open' : 'closed';
  return { drive: Number(fields.drive ?? 0), power, tray, media: fields.media ?? 'none', fields };
}

type SerialPortCtor = new (opts: { path: string; baudRate: number }, cb: (err?: Error | null) => void) => Duplex;

/** The `serialport` package's SerialPort class, imported on first use. */
async function loadSerialPort(): Promise<SerialPortCtor> {
  const specifier = 'serialport';
  try {
    const mod = (await import(specifier)) as { SerialPort?: SerialPortCtor; default?: { SerialPort?: SerialPortCtor } };
    const C = mod.SerialPort ?? mod.default?.SerialPort;
    if (!C) throw new Error('no SerialPort export');
    return C;
  } catch (e) {
    throw new FixtureError('CLOSED', `the optional package "serialport" (13.x) cannot be loaded: ${e instanceof Error ? e.message : String(e)}`);
  }
}
