/**
 * USB burners over Bulk-Only Transport: the codec (bot.ts), the transport (usb-bot-transport.ts), the
 * WebUSB surface it needs (webusb.ts), and the two calls DiscMaster2's USB source makes: list the
 * BOT mass-storage devices (descriptors only: nothing is opened or claimed) and open one by id.
 */
import { createRequire } from 'node:module';
import { transportLostError } from '../scsi-transport.js';
import { findBotPipes, formatUsbId, parseUsbId, UsbBotTransport, type UsbBotTransportOptions } from './usb-bot-transport.js';
import { loadWebUsb, type UsbDeviceLike, type WebUsbLike } from './webusb.js';

export * from './bot.js';
export * from './webusb.js';
export * from './usb-bot-transport.js';

/** Whether the optional `usb` package is installed (it is loaded only when a USB device is used). */
export function usbPackageAvailability(): { available: boolean; reason?: string } {
  try {
    createRequire(import.meta.url).resolve('usb');
    return { available: true };
  } catch {
    return { available: false, reason: 'the optional package "usb" (3.x) is not installed' };
  }
}

function hasBotInterface(d: UsbDeviceLike): boolean {
  try {
    findBotPipes(d);
    return true;
  } catch {
    return false;
  }
}

/** Devices with a class 08h / subclass 02h|06h / protocol 50h interface, from their descriptors. */
export async function listBotDevices(webusb?: WebUsbLike): Promise<UsbDeviceLike[]> {
  const usb = webusb ?? (await loadWebUsb());
  return (await usb.getDevices()).filter(hasBotInterface);
}

/** Unique ids (`usb:VVVV:PPPP[:SERIAL]`) of the BOT mass-storage devices present. */
export async function listBotDeviceIds(webusb?: WebUsbLike): Promise<string[]> {
  return (await listBotDevices(webusb)).map((d) => formatUsbId(d));
}

/**
 * Opens `usb:VVVV:PPPP[:SERIAL][/LUN]`: the first present device with that VID/PID (and serial).
 * Rejects with HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST) when none is present.
 */
export async function openUsbBot(id: string, opts: Omit<UsbBotTransportOptions, 'lun' | 'id'> = {}): Promise<UsbBotTransport> {
  const want = parseUsbId(id);
  const usb = opts.webusb ?? (await loadWebUsb());
  const device = (await listBotDevices(usb)).find(
    (d) => d.vendorId === want.vendorId && d.productId === want.productId && (want.serialNumber === undefined || d.serialNumber === want.serialNumber),
  );
  if (!device) throw transportLostError(`no USB mass-storage device ${id} is present`);
  return UsbBotTransport.open(device, { ...opts, webusb: usb, lun: want.lun, id });
}
