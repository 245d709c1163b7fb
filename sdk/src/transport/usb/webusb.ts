/**
 * The part of the WebUSB API (W3C WebUSB; the `usb` npm package 3.x implements it for Node) that
 * the Bulk-Only Transport uses, declared structurally so the SDK neither needs `usb` installed to
 * build nor to run: `loadWebUsb()` imports it lazily, on first use.
 *
 * What the `usb` 3.x implementation does, which the transport relies on (and the test device mimics):
 * - `transferIn(endpointNumber, length, timeout)` / `transferOut(endpointNumber, data, timeout)` take
 *   a third argument, the timeout in ms (default 1000 ms!). A timed-out transfer rejects with
 *   "transferIn error: Cancelled"; its data is dropped.
 * - A STALL rejects with "transferIn error: Stall" (the bytes of that transfer are dropped); other
 *   WebUSB implementations resolve `{status: 'stall'}` instead: both are handled.
 * - A device gone rejects with "... error: Disconnected" (bulk) or "... device disconnected"
 *   (control); WebUSB in browsers rejects with a NotFoundError.
 * - One transfer per endpoint at a time: a second one rejects ("endpoint not found").
 * - Argument errors reject (the methods are async) with napi's conversion errors.
 */
export type UsbDirection = 'in' | 'out';

export interface UsbEndpointLike {
  readonly endpointNumber: number;
  readonly direction: UsbDirection;
  readonly type: 'bulk' | 'interrupt' | 'isochronous' | string;
  readonly packetSize: number;
}
export interface UsbAlternateLike {
  readonly alternateSetting: number;
  readonly interfaceClass: number;
  readonly interfaceSubclass: number;
  readonly interfaceProtocol: number;
  readonly endpoints: readonly UsbEndpointLike[];
}
export interface UsbInterfaceLike {
  readonly interfaceNumber: number;
  readonly alternate: UsbAlternateLike;
  readonly alternates: readonly UsbAlternateLike[];
  readonly claimed: boolean;
}
export interface UsbConfigurationLike {
  readonly configurationValue: number;
  readonly interfaces: readonly UsbInterfaceLike[];
}
export interface UsbControlSetup {
  readonly requestType: 'standard' | 'class' | 'vendor';
  readonly recipient: 'device' | 'interface' | 'endpoint' | 'other';
  readonly request: number;
  readonly value: number;
  readonly index: number;
}
export interface UsbInResult {
  readonly data?: DataView | undefined;
  readonly status: 'ok' | 'stall' | 'babble' | string;
}
export interface UsbOutResult {
  readonly bytesWritten: number;
  readonly status: 'ok' | 'stall' | string;
}

/** A WebUSB USBDevice (plus usb 3.x's timeout arguments and Linux kernel-driver calls). */
export interface UsbDeviceLike {
  readonly vendorId: number;
  readonly productId: number;
  readonly serialNumber?: string | null | undefined;
  readonly productName?: string | null | undefined;
  readonly manufacturerName?: string | null | undefined;
  readonly opened: boolean;
  readonly configuration?: UsbConfigurationLike | null | undefined;
  readonly configurations: readonly UsbConfigurationLike[];
  open(): Promise<void>;
  close(): Promise<void>;
  selectConfiguration(configurationValue: number): Promise<void>;
  claimInterface(interfaceNumber: number): Promise<void>;
  releaseInterface(interfaceNumber: number): Promise<void>;
  selectAlternateInterface(interfaceNumber: number, alternateSetting: number): Promise<void>;
  controlTransferIn(setup: UsbControlSetup, length: number, timeout?: number): Promise<UsbInResult>;
  controlTransferOut(setup: UsbControlSetup, data?: ArrayBuffer | ArrayBufferView, timeout?: number): Promise<UsbOutResult>;
  transferIn(endpointNumber: number, length: number, timeout?: number): Promise<UsbInResult>;
  transferOut(endpointNumber: number, data: ArrayBuffer | ArrayBufferView, timeout?: number): Promise<UsbOutResult>;
  clearHalt(direction: UsbDirection, endpointNumber: number): Promise<void>;
  detachKernelDriver?(interfaceNumber: number): Promise<void>;
  attachKernelDriver?(interfaceNumber: number): Promise<void>;
}

/** The `usb` / `webusb` object: device listing and connect/disconnect events. */
export interface WebUsbLike {
  getDevices(): Promise<UsbDeviceLike[]>;
  addEventListener(type: 'connect' | 'disconnect', listener: (ev: { device: UsbDeviceLike }) => void): void;
  removeEventListener(type: 'connect' | 'disconnect', listener: (ev: { device: UsbDeviceLike }) => void): void;
}

/** Thrown when the optional `usb` package cannot be loaded. */
export class UsbUnavailableError extends Error {
  constructor(reason: string, opts?: { cause?: unknown }) {
    super(`USB backend not available: ${reason}`, opts);
    this.name = 'UsbUnavailableError';
  }
}

let loaded: Promise<WebUsbLike> | undefined;

/**
 * The `usb` package's `usb` object (every device allowed), imported on first call. Rejects with
 * UsbUnavailableError when the package is not installed or its native part does not load.
 */
export function loadWebUsb(): Promise<WebUsbLike> {
  loaded ??= (async () => {
    const specifier = 'usb';
    let mod: { usb?: WebUsbLike; default?: { usb?: WebUsbLike } };
    try {
      mod = (await import(specifier)) as typeof mod;
    } catch (e) {
      loaded = undefined;
      throw new UsbUnavailableError(`the optional package "usb" (3.x) cannot be loaded: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    const usb = mod.usb ?? mod.default?.usb;
    if (!usb || typeof usb.getDevices !== 'function') throw new UsbUnavailableError('the "usb" package does not export the WebUSB `usb` object (usb 3.x needed)');
    return usb;
  })();
  return loaded;
}

/** What went wrong with a transfer, from a resolved status or a rejection. */
export type TransferFailure = 'stall' | 'timeout' | 'disconnected' | 'babble' | 'other';

export function classifyTransferError(e: unknown): TransferFailure {
  const name = e instanceof Error ? e.name : '';
  const msg = e instanceof Error ? e.message : String(e);
  if (/\bstall/i.test(msg) || /endpoint stalled/i.test(msg)) return 'stall';
  if (/\bCancelled\b|timed? ?out|timeout/i.test(msg) || name === 'TimeoutError') return 'timeout';
  if (/disconnected|no such device|ENODEV|device (?:was )?(?:removed|gone)/i.test(msg) || name === 'NotFoundError') return 'disconnected';
  if (/babble|overflow/i.test(msg)) return 'babble';
  return 'other';
}
