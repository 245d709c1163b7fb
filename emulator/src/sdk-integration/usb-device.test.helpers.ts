/**
 * TEST TOOLING: a simulated USB mass-storage device (BOT, interface 08h/02h/50h) with the WebUSB
 * USBDevice surface of the `usb` 3.x package, whose bulk endpoints feed a logical unit (the
 * emulator's drive core). It plays the device side of Bulk-Only Transport 1.0 with the SDK's codec:
 * CBW on Bulk-Out, data phase, CSW on Bulk-In, the class requests (reset FFh, Get Max LUN FEh),
 * endpoint halts kept across a reset until the host clears them (BOT §5.3.4), and the sense of a
 * failed command kept for the next REQUEST SENSE (BOT has no autosense).
 *
 * It behaves as usb 3.x does towards its caller: async methods whose argument errors reject with
 * napi's conversion messages; the 1000 ms default timeout; a timed-out transfer rejects
 * "transferIn error: Cancelled"; a STALL rejects "transferIn error: Stall" (or, with
 * `stallStyle: 'status'`, resolves `{status: 'stall'}` as browsers' WebUSB does); one transfer per
 * endpoint at a time; a device gone rejects "... error: Disconnected" and fires `disconnect`.
 *
 * Test controls (`faults`): stall the next data phase, a phase error, a corrupt CSW, how a short
 * Data-In ends, and `unplug()`.
 */
import {
  CswStatus,
  MassStorage,
  Opcode,
  ScsiStatus,
  Sense,
  buildFixedSense,
  decodeCbw,
  encodeCsw,
  type CommandBlockWrapper,
  type UsbConfigurationLike,
} from '@openimapi/sdk';
import type { ItNexus, LogicalUnit } from '../lun.js';

type Direction = 'in' | 'out';

/** How the device ends a Data-In shorter than dCBWDataTransferLength (BOT §6.7.2, case Hi > Di). */
export type ShortDataIn = 'short-packet' | 'short-packet-then-stall' | 'pad';

export interface SimulatedUsbDeviceOptions {
  readonly lu: LogicalUnit;
  readonly vendorId?: number;
  readonly productId?: number;
  readonly serialNumber?: string | null;
  readonly interfaceSubclass?: number;
  readonly interfaceProtocol?: number;
  readonly packetSize?: number;
  /** Get Max LUN answer; `'stall'` stalls the request as a single-LUN device may. Default 0. */
  readonly maxLun?: number | 'stall';
  /** usb 3.x rejects a stalled transfer ('reject', default); browsers' WebUSB resolves status 'stall'. */
  readonly stallStyle?: 'reject' | 'status';
  readonly shortDataIn?: ShortDataIn;
}

export interface SimFaults {
  /** STALL Bulk-In instead of sending the next command's data; the CSW reports Command Failed. */
  stallDataIn: boolean;
  /** STALL Bulk-Out after this many bytes of the next Data-Out (0: take none); Command Failed. */
  stallDataOutAfter: number | undefined;
  /** STALL Bulk-In when the host asks for the next CSW (once, then the CSW). */
  stallCswOnce: boolean;
  /** The next CSW reports Phase Error. */
  phaseError: boolean;
  /** The next CSW is wrong: another tag, 'USBC' for 'USBS', or 12 bytes. */
  corruptCsw: 'tag' | 'signature' | 'length' | undefined;
  /** Every later Bulk-Only Mass Storage Reset is refused (STALLed). */
  refuseReset: boolean;
}

interface Pending {
  readonly dir: Direction;
  readonly length: number;
  readonly data?: Buffer;
  readonly resolve: (v: { data?: DataView; bytesWritten?: number; status: string }) => void;
  readonly reject: (e: Error) => void;
  readonly timer: NodeJS.Timeout;
}

const DEFAULT_TIMEOUT = 1000;
let deviceCounter = 0;

function napiError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

function napiType(v: unknown): string {
  if (v === undefined) return 'Undefined';
  if (v === null) return 'Null';
  const t = typeof v;
  return t === 'bigint' ? 'BigInt' : t.charAt(0).toUpperCase() + t.slice(1);
}

/** napi-rs's number argument conversion: non-numbers reject, u32 wraps, narrower types range-check. */
function napiUint(v: unknown, bits: 8 | 16 | 32): number {
  if (typeof v !== 'number') throw napiError(`Failed to convert napi value ${napiType(v)} into rust type \`u${bits}\``, 'NumberExpected');
  const u32 = Number.isFinite(v) ? Math.trunc(v) >>> 0 : 0;
  if (bits < 32 && u32 > 2 ** bits - 1) throw napiError(`Failed to convert u32 to u${bits}`, 'GenericFailure');
  return u32;
}

function toUint8Array(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  // Same access as usb 3.x's toUint8Array: `undefined` throws its TypeError.
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export class SimulatedUsbDevice {
  readonly vendorId: number;
  readonly productId: number;
  readonly serialNumber: string | null;
  readonly productName = 'Simulated BOT burner';
  readonly manufacturerName = 'openimapi';
  readonly deviceClass = 0;
  readonly deviceSubclass = 0;
  readonly deviceProtocol = 0;
  readonly faults: SimFaults = { stallDataIn: false, stallDataOutAfter: undefined, stallCswOnce: false, phaseError: false, corruptCsw: undefined, refuseReset: false };
  /** Every CBW the device accepted, and counts of what the host did (for assertions). */
  readonly log = { cbws: [] as CommandBlockWrapper[], resets: 0, clearHalts: [] as string[], getMaxLun: 0 };
  /** Set to make claimInterface fail as when another program holds the interface. */
  claimedElsewhere = false;

  private readonly lu: LogicalUnit;
  private readonly nexus: ItNexus;
  private readonly packetSize: number;
  private readonly maxLun: number | 'stall';
  private readonly stallStyle: 'reject' | 'status';
  shortDataIn: ShortDataIn;
  private readonly configs: UsbConfigurationLike[];
  private isOpen = false;
  private configured: number | undefined = 1;
  private claimed = false;
  private gone = false;
  private readonly halted = new Set<Direction>();
  private readonly pending = new Map<Direction, Pending>();
  private onGone: (() => void) | undefined;

  // BOT device state
  private phase: 'cbw' | 'data-out' | 'busy' | 'data-in' | 'csw' | 'needs-reset' = 'cbw';
  private cbw: CommandBlockWrapper | undefined;
  private dataOut: Buffer[] = [];
  private dataOutCount = 0;
  private dataIn: Buffer = Buffer.alloc(0);
  private csw: Buffer | undefined;
  private abort: AbortController | undefined;
  private storedSense: Buffer | undefined;

  constructor(opts: SimulatedUsbDeviceOptions) {
    this.lu = opts.lu;
    this.vendorId = opts.vendorId ?? 0x1d6b;
    this.productId = opts.productId ?? 0x0bd0;
    this.serialNumber = opts.serialNumber === undefined ? `SIM${String(++deviceCounter).padStart(5, '0')}` : opts.serialNumber;
    this.packetSize = opts.packetSize ?? 512;
    this.maxLun = opts.maxLun ?? 0;
    this.stallStyle = opts.stallStyle ?? 'reject';
    this.shortDataIn = opts.shortDataIn ?? 'short-packet';
    const isid = (0x400000000000 + deviceCounter).toString(16).padStart(12, '0');
    this.nexus = { id: `usb-host,i,0x${isid}`, initiatorName: 'usb-host', isid, tpgt: 0, transport: `usb ${this.serialNumber ?? ''}` };
    const endpoints = [
      { endpointNumber: 1, direction: 'in' as const, type: 'bulk' as const, packetSize: this.packetSize },
      { endpointNumber: 2, direction: 'out' as const, type: 'bulk' as const, packetSize: this.packetSize },
    ];
    const alternate = {
      alternateSetting: 0,
      interfaceClass: MassStorage.INTERFACE_CLASS,
      interfaceSubclass: opts.interfaceSubclass ?? MassStorage.SUBCLASS_MMC5,
      interfaceProtocol: opts.interfaceProtocol ?? MassStorage.PROTOCOL_BULK_ONLY,
      endpoints,
    };
    const self = this;
    this.configs = [
      {
        configurationValue: 1,
        interfaces: [
          {
            interfaceNumber: 0,
            alternate,
            alternates: [alternate],
            get claimed() {
              return self.claimed;
            },
          },
        ],
      },
    ];
  }

  // ---- descriptors and state ------------------------------------------------------------

  get opened(): boolean {
    return this.isOpen;
  }
  get configuration() {
    return this.configs.find((c) => c.configurationValue === this.configured) ?? this.configs[0]!;
  }
  get configurations() {
    return this.configs;
  }
  /** Host-visible halt state of the bulk pipes. */
  get haltedPipes(): Direction[] {
    return [...this.halted];
  }

  async open(): Promise<void> {
    if (this.gone) throw new Error('open error: device disconnected');
    this.isOpen = true;
  }
  async close(): Promise<void> {
    this.isOpen = false;
    this.claimed = false;
  }
  async reset(): Promise<void> {
    if (!this.isOpen) throw new Error('reset error: invalid state');
  }
  async selectConfiguration(configurationValue: number): Promise<void> {
    const v = napiUint(configurationValue, 8);
    if (!this.isOpen) throw new Error('selectConfiguration error: invalid state');
    if (!this.configs.some((c) => c.configurationValue === v)) throw new Error('selectConfiguration error: invalid configuration');
    this.configured = v;
  }
  async claimInterface(interfaceNumber: number): Promise<void> {
    const n = napiUint(interfaceNumber, 8);
    if (!this.isOpen) throw new Error('claimInterface error: invalid state');
    if (this.gone) throw new Error('claimInterface error: device disconnected');
    if (n !== 0) throw new Error('claimInterface error: interface not found');
    if (this.claimedElsewhere) throw new Error('claimInterface error: interface is busy');
    this.claimed = true;
  }
  async releaseInterface(interfaceNumber: number): Promise<void> {
    napiUint(interfaceNumber, 8);
    if (!this.isOpen) throw new Error('releaseInterface error: invalid state');
    if (!this.claimed) throw new Error('releaseInterface error: not claimed');
    this.claimed = false;
  }
  async selectAlternateInterface(interfaceNumber: number, alternateSetting: number): Promise<void> {
    napiUint(interfaceNumber, 8);
    if (napiUint(alternateSetting, 8) !== 0 || !this.claimed) throw new Error('selectAlternateInterface error: invalid state');
  }
  async detachKernelDriver(interfaceNumber: number): Promise<void> {
    napiUint(interfaceNumber, 8);
    throw new Error('detachKernelDriver error: no kernel driver attached');
  }
  async attachKernelDriver(interfaceNumber: number): Promise<void> {
    napiUint(interfaceNumber, 8);
    throw new Error('attachKernelDriver error: failed to attach kernel driver');
  }

  // ---- control pipe ----------------------------------------------------------------------

  async controlTransferIn(setup: { requestType: string; recipient: string; request: number; value: number; index: number }, length: number, timeout = DEFAULT_TIMEOUT) {
    napiUint(timeout, 32);
    napiUint(length, 16);
    const request = napiUint(setup.request, 8);
    if (!this.claimed) throw new Error('controlTransferIn error: invalid state');
    if (this.gone) throw new Error('controlTransferIn error: device disconnected');
    if (setup.requestType === 'class' && setup.recipient === 'interface' && request === 0xfe && setup.index === 0 && setup.value === 0) {
      this.log.getMaxLun++;
      if (this.maxLun === 'stall') return this.controlStall('controlTransferIn');
      const b = Uint8Array.of(this.maxLun).slice(0, length);
      return { data: new DataView(b.buffer), status: 'ok' };
    }
    return this.controlStall('controlTransferIn');
  }

  async controlTransferOut(setup: { requestType: string; recipient: string; request: number; value: number; index: number }, data?: ArrayBuffer | ArrayBufferView, timeout = DEFAULT_TIMEOUT) {
    const bytes = toUint8Array(data as ArrayBuffer | ArrayBufferView);
    napiUint(timeout, 32);
    const request = napiUint(setup.request, 8);
    if (!this.claimed) throw new Error('controlTransferOut error: invalid state');
    if (this.gone) throw new Error('controlTransferOut error: device disconnected');
    if (setup.requestType === 'class' && setup.recipient === 'interface' && request === 0xff && setup.index === 0 && setup.value === 0 && bytes.length === 0) {
      this.log.resets++;
      if (this.faults.refuseReset) return this.controlStall('controlTransferOut');
      this.massStorageReset();
      return { bytesWritten: 0, status: 'ok' };
    }
    return this.controlStall('controlTransferOut');
  }

  private controlStall(what: string) {
    if (this.stallStyle === 'status') return { data: undefined, bytesWritten: 0, status: 'stall' } as { data?: DataView; bytesWritten: number; status: string };
    throw new Error(`${what} error: endpoint stalled`);
  }

  async clearHalt(direction: Direction, endpointNumber: number): Promise<void> {
    const ep = napiUint(endpointNumber, 8);
    const dir = direction === 'in' ? 'in' : 'out';
    if (this.gone) throw new Error('clearHalt error: device disconnected');
    if (!this.claimed || ep !== this.endpointFor(dir) || this.pending.has(dir)) throw new Error('clearHalt error: endpoint not found');
    this.log.clearHalts.push(dir);
    this.halted.delete(dir);
  }

  // ---- bulk pipes ------------------------------------------------------------------------

  async transferIn(endpointNumber: number, length: number, timeout = DEFAULT_TIMEOUT) {
    const ep = napiUint(endpointNumber, 8);
    const t = napiUint(timeout, 32);
    const len = napiUint(length, 32);
    return this.submit('in', ep, t, len) as Promise<{ data?: DataView; status: string }>;
  }

  async transferOut(endpointNumber: number, data: ArrayBuffer | ArrayBufferView, timeout = DEFAULT_TIMEOUT) {
    const bytes = toUint8Array(data);
    const ep = napiUint(endpointNumber, 8);
    const t = napiUint(timeout, 32);
    return this.submit('out', ep, t, bytes.length, Buffer.from(bytes)) as Promise<{ bytesWritten: number; status: string }>;
  }

  private endpointFor(dir: Direction): number {
    return dir === 'in' ? 1 : 2;
  }

  private submit(dir: Direction, ep: number, timeout: number, length: number, data?: Buffer): Promise<{ data?: DataView; bytesWritten?: number; status: string }> {
    const what = dir === 'in' ? 'transferIn' : 'transferOut';
    if (!this.claimed || ep !== this.endpointFor(dir) || this.pending.has(dir)) return Promise.reject(new Error(`${what} error: endpoint not found`));
    if (this.gone) return Promise.reject(new Error(`${what} error: Disconnected`));
    if (this.halted.has(dir)) return Promise.resolve(this.stalled(dir));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(dir);
        reject(new Error(`${what} error: Cancelled`));
      }, Math.max(1, timeout));
      this.pending.set(dir, { dir, length, ...(data ? { data } : {}), resolve, reject, timer });
      this.service();
    });
  }

  /** A stalled transfer as usb 3.x reports it (rejects) or as WebUSB does (status 'stall'). */
  private stalled(dir: Direction): { data?: DataView; bytesWritten?: number; status: string } {
    if (this.stallStyle === 'status') return dir === 'in' ? { data: undefined, status: 'stall' } : { bytesWritten: 0, status: 'stall' };
    throw new Error(`${dir === 'in' ? 'transferIn' : 'transferOut'} error: Stall`);
  }

  private complete(dir: Direction, outcome: { data?: Buffer; bytesWritten?: number } | 'stall'): void {
    const p = this.pending.get(dir);
    if (!p) return;
    this.pending.delete(dir);
    clearTimeout(p.timer);
    if (outcome === 'stall') {
      this.halted.add(dir);
      try {
        p.resolve(this.stalled(dir));
      } catch (e) {
        p.reject(e as Error);
      }
      return;
    }
    if (dir === 'in') {
      const b = Uint8Array.from(outcome.data ?? []);
      p.resolve({ data: new DataView(b.buffer), status: 'ok' });
    } else p.resolve({ bytesWritten: outcome.bytesWritten ?? 0, status: 'ok' });
  }

  /** Moves the BOT state machine with whatever transfer the host has pending. */
  private service(): void {
    const out = this.pending.get('out');
    if (out && this.phase === 'cbw') return this.receiveCbw(out.data!);
    if (out && this.phase === 'data-out') return this.receiveData(out.data!);
    const inn = this.pending.get('in');
    if (inn && this.phase === 'data-in') return this.sendData(inn.length);
    if (inn && this.phase === 'csw') return this.sendCsw(inn.length);
    if ((out || inn) && this.phase === 'needs-reset') {
      // After an invalid CBW the device stalls both pipes until a reset recovery (BOT §6.6.1).
      if (out) this.complete('out', 'stall');
      if (inn) this.complete('in', 'stall');
    }
  }

  private receiveCbw(bytes: Buffer): void {
    const d = decodeCbw(bytes, typeof this.maxLun === 'number' ? this.maxLun : 0);
    if (!d.valid) {
      this.phase = 'needs-reset';
      this.complete('out', 'stall');
      this.halted.add('in');
      return;
    }
    this.complete('out', { bytesWritten: bytes.length });
    const cbw = d.cbw;
    this.log.cbws.push(cbw);
    this.cbw = cbw;
    this.dataOut = [];
    this.dataOutCount = 0;
    if (!d.meaningful) {
      this.storedSense = buildFixedSense(Sense.INVALID_FIELD_IN_CDB);
      this.finish(CswStatus.FAILED, cbw.dataTransferLength, cbw.direction === 'in' && cbw.dataTransferLength > 0 ? 'stall-in' : cbw.dataTransferLength > 0 ? 'stall-out' : undefined);
      return;
    }
    if (cbw.direction === 'out' && cbw.dataTransferLength > 0) {
      this.phase = 'data-out';
      if (this.faults.stallDataOutAfter === 0) return this.stallDataOut();
      this.service();
      return;
    }
    this.run(undefined);
  }

  private receiveData(bytes: Buffer): void {
    const cbw = this.cbw!;
    const room = cbw.dataTransferLength - this.dataOutCount;
    const limit = this.faults.stallDataOutAfter;
    const take = Math.min(room, bytes.length, limit === undefined ? Infinity : Math.max(0, limit - this.dataOutCount));
    this.dataOut.push(bytes.subarray(0, take));
    this.dataOutCount += take;
    if (limit !== undefined && this.dataOutCount >= limit && this.dataOutCount < cbw.dataTransferLength) return this.stallDataOut();
    this.complete('out', { bytesWritten: take });
    if (this.dataOutCount >= cbw.dataTransferLength) this.run(Buffer.concat(this.dataOut));
  }

  private stallDataOut(): void {
    this.faults.stallDataOutAfter = undefined;
    this.storedSense = buildFixedSense(Sense.ABORTED_COMMAND);
    this.finish(CswStatus.FAILED, this.cbw!.dataTransferLength - this.dataOutCount, 'stall-out');
  }

  /** Runs the CDB on the logical unit (REQUEST SENSE with kept sense is answered here). */
  private run(dataOut: Buffer | undefined): void {
    const cbw = this.cbw!;
    this.phase = 'busy';
    const cdb = Buffer.from(cbw.cb);
    const hi = cbw.direction === 'in' ? cbw.dataTransferLength : 0;
    if (cdb[0] === Opcode.REQUEST_SENSE && this.storedSense) {
      const sense = this.storedSense;
      this.storedSense = undefined;
      return this.respond(ScsiStatus.GOOD, sense.subarray(0, Math.min(sense.length, cdb[4] ?? 0)));
    }
    this.storedSense = undefined;
    const abort = new AbortController();
    this.abort = abort;
    Promise.resolve()
      .then(() => this.lu.execute({ nexus: this.nexus, cdb, ...(dataOut ? { dataOut } : {}), expectedDataInLength: hi, taskAttribute: 1, signal: abort.signal }))
      .then(
        (r) => {
          if (abort.signal.aborted || this.abort !== abort) return;
          this.abort = undefined;
          if (r.status === ScsiStatus.CHECK_CONDITION) this.storedSense = r.sense;
          this.respond(r.status, r.dataIn ?? Buffer.alloc(0));
          r.release?.();
        },
        () => {
          if (abort.signal.aborted || this.abort !== abort) return;
          this.storedSense = buildFixedSense({ key: 0x4, asc: 0x44, ascq: 0x00 });
          this.respond(ScsiStatus.CHECK_CONDITION, Buffer.alloc(0));
        },
      );
  }

  private respond(status: number, data: Buffer): void {
    const cbw = this.cbw!;
    const ok = status === ScsiStatus.GOOD;
    if (cbw.direction === 'in' && cbw.dataTransferLength > 0) {
      if (this.faults.stallDataIn) {
        this.faults.stallDataIn = false;
        this.storedSense ??= buildFixedSense(Sense.ABORTED_COMMAND);
        return this.finish(CswStatus.FAILED, cbw.dataTransferLength, 'stall-in');
      }
      // The drive honours the allocation length; anything beyond dCBWDataTransferLength is not sent.
      const di = data.subarray(0, cbw.dataTransferLength);
      const residue = cbw.dataTransferLength - di.length;
      this.dataIn = this.shortDataIn === 'pad' ? Buffer.concat([di, Buffer.alloc(residue)]) : Buffer.from(di);
      this.cswPending(ok ? CswStatus.PASSED : CswStatus.FAILED, residue);
      this.phase = 'data-in';
      this.service();
      return;
    }
    const residue = cbw.direction === 'out' ? cbw.dataTransferLength - this.dataOutCount : 0;
    this.finish(ok ? CswStatus.PASSED : CswStatus.FAILED, residue, undefined);
  }

  private sendData(hostLength: number): void {
    const cbw = this.cbw!;
    const chunk = this.dataIn.subarray(0, hostLength);
    this.dataIn = this.dataIn.subarray(chunk.length);
    const short = chunk.length < hostLength;
    if (this.dataIn.length > 0 && !short) return this.complete('in', { data: chunk });
    // All data sent. A packet-aligned short transfer cannot end with a short packet: the device stalls.
    this.phase = 'csw';
    if (short && chunk.length % this.packetSize === 0) {
      this.complete('in', 'stall');
      return;
    }
    this.complete('in', { data: chunk });
    if (short && this.shortDataIn === 'short-packet-then-stall' && cbw.dataTransferLength > 0) this.halted.add('in');
  }

  private sendCsw(hostLength: number): void {
    if (this.faults.stallCswOnce) {
      this.faults.stallCswOnce = false;
      this.complete('in', 'stall');
      return;
    }
    const csw = this.csw!;
    this.csw = undefined;
    this.phase = 'cbw';
    this.complete('in', { data: csw.subarray(0, hostLength) });
    this.service();
  }

  private cswPending(status: number, residue: number): void {
    const cbw = this.cbw!;
    if (this.faults.phaseError) {
      this.faults.phaseError = false;
      status = CswStatus.PHASE_ERROR;
    }
    let csw = encodeCsw({ tag: cbw.tag, dataResidue: residue, status });
    const bad = this.faults.corruptCsw;
    this.faults.corruptCsw = undefined;
    if (bad === 'tag') csw = encodeCsw({ tag: (cbw.tag + 1) >>> 0, dataResidue: residue, status });
    if (bad === 'signature') csw.write('USBC', 0, 'latin1');
    if (bad === 'length') csw = csw.subarray(0, 12);
    this.csw = csw;
  }

  /** Status phase next; `stall` halts a data pipe first (the device ends the data phase early). */
  private finish(status: number, residue: number, stall: 'stall-in' | 'stall-out' | undefined): void {
    this.cswPending(status, residue);
    this.phase = 'csw';
    if (stall === 'stall-in') {
      this.halted.add('in');
      if (this.pending.has('in')) this.complete('in', 'stall');
    }
    if (stall === 'stall-out') {
      this.halted.add('out');
      if (this.pending.has('out')) this.complete('out', 'stall');
    }
    this.service();
  }

  /** Bulk-Only Mass Storage Reset: abort the command, wait for a CBW; halts stay until cleared. */
  private massStorageReset(): void {
    this.abort?.abort(new Error('Bulk-Only Mass Storage Reset'));
    this.abort = undefined;
    this.phase = 'cbw';
    this.cbw = undefined;
    this.csw = undefined;
    this.dataIn = Buffer.alloc(0);
    this.dataOut = [];
  }

  // ---- test controls ---------------------------------------------------------------------

  /** The device goes away: transfers in flight and every later call fail as usb 3.x reports it. */
  unplug(): void {
    if (this.gone) return;
    this.gone = true;
    this.abort?.abort(new Error('device unplugged'));
    for (const [dir, p] of [...this.pending]) {
      this.pending.delete(dir);
      clearTimeout(p.timer);
      p.reject(new Error(`${dir === 'in' ? 'transferIn' : 'transferOut'} error: Disconnected`));
    }
    this.onGone?.();
  }

  /** Transfers currently waiting (for tests that need to know the host is blocked on the device). */
  pendingTransfers(): Direction[] {
    return [...this.pending.keys()];
  }

  /** @internal the SimulatedWebUsb registers its disconnect dispatch here. */
  setGoneHandler(f: () => void): void {
    this.onGone = f;
  }
}

/** A WebUSB `usb` object listing simulated devices, with connect/disconnect events. */
export class SimulatedWebUsb extends EventTarget {
  private readonly devices: SimulatedUsbDevice[] = [];

  plug(device: SimulatedUsbDevice): SimulatedUsbDevice {
    this.devices.push(device);
    device.setGoneHandler(() => {
      const i = this.devices.indexOf(device);
      if (i >= 0) this.devices.splice(i, 1);
      this.dispatchEvent(Object.assign(new Event('disconnect'), { device }));
    });
    this.dispatchEvent(Object.assign(new Event('connect'), { device }));
    return device;
  }

  async getDevices(): Promise<SimulatedUsbDevice[]> {
    return this.devices.slice();
  }

  /** usb 3.x's argument checks, then the first device matching a filter. */
  async requestDevice(options?: { filters?: Array<{ vendorId?: number; productId?: number; classCode?: number; subclassCode?: number; protocolCode?: number; serialNumber?: string }> }): Promise<SimulatedUsbDevice> {
    if (!options) throw new TypeError('requestDevice error: 1 argument required, but only 0 present');
    if (options.constructor !== {}.constructor) throw new TypeError('requestDevice error: parameter 1 (options) is not an object');
    if (!options.filters) throw new TypeError('requestDevice error: required member filters is undefined');
    if (options.filters.constructor !== [].constructor) throw new TypeError('requestDevice error: the provided value cannot be converted to a sequence');
    for (const f of options.filters) {
      if (f.protocolCode && !f.subclassCode) throw new TypeError('requestDevice error: subclass code is required');
      if (f.subclassCode && !f.classCode) throw new TypeError('requestDevice error: class code is required');
    }
    const alt = (d: SimulatedUsbDevice) => d.configurations[0]!.interfaces[0]!.alternate;
    const found = this.devices.find((d) =>
      options.filters!.length === 0 ||
      options.filters!.some(
        (f) =>
          (f.vendorId === undefined || f.vendorId === d.vendorId) &&
          (f.productId === undefined || f.productId === d.productId) &&
          (f.serialNumber === undefined || f.serialNumber === d.serialNumber) &&
          (f.classCode === undefined || f.classCode === alt(d).interfaceClass) &&
          (f.subclassCode === undefined || f.subclassCode === alt(d).interfaceSubclass) &&
          (f.protocolCode === undefined || f.protocolCode === alt(d).interfaceProtocol),
      ),
    );
    if (!found) throw Object.assign(new Error("Failed to execute 'requestDevice' on 'USB': No device selected."), { name: 'NotFoundError' });
    return found;
  }
}
