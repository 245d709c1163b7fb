/**
 * Device enumeration from sysfs (Linux): every SCSI generic node whose peripheral device type is 05h
 * (CD/DVD, SPC-4 table 49 / MMC), with its INQUIRY strings as the kernel cached them and the block
 * node (`/dev/srN`) when the sr driver is bound.
 *
 *   /sys/class/scsi_generic/sgN/device/{type,vendor,model,rev}   type is decimal text
 *   /sys/class/scsi_generic/sgN/device/block/srM                 present when sr_mod claimed it
 *   /sys/class/scsi_generic/sgN/device → ../../../H:C:T:L         the SCSI address
 */
import { readdir, readFile, realpath } from 'node:fs/promises';
import { basename, join } from 'node:path';

/** Peripheral device type of a CD/DVD device (MMC). */
export const MMC_DEVICE_TYPE = 5;

export interface SgDeviceInfo {
  /** `/dev/sgN`: the node to pass to SgTransport. */
  readonly path: string;
  /** `/dev/srN` when the sr driver has the device, else undefined. */
  readonly blockPath: string | undefined;
  /** Peripheral device type (5 for MMC). */
  readonly type: number;
  readonly vendor: string;
  readonly model: string;
  readonly revision: string;
  /** `host:channel:target:lun`, when sysfs shows it. */
  readonly hctl: string | undefined;
}

export interface ListDevicesOptions {
  /** Where sysfs is mounted (default `/sys`; tests pass a fake tree). */
  readonly sysfsRoot?: string;
  /** Directory of the device nodes (default `/dev`). */
  readonly devRoot?: string;
  /** Include every peripheral device type, not only 05h. */
  readonly allTypes?: boolean;
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return (await readFile(file, 'latin1')).trim();
  } catch {
    return undefined;
  }
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

/** The SCSI generic devices (CD/DVD only unless `allTypes`), in sg number order. Empty without sysfs. */
export async function listDevices(options: ListDevicesOptions = {}): Promise<SgDeviceInfo[]> {
  const sys = options.sysfsRoot ?? '/sys';
  const dev = options.devRoot ?? '/dev';
  const classDir = join(sys, 'class', 'scsi_generic');
  const names = (await listDir(classDir)).filter((n) => /^sg\d+$/.test(n));
  names.sort((a, b) => Number(a.slice(2)) - Number(b.slice(2)));
  const out: SgDeviceInfo[] = [];
  for (const name of names) {
    const devDir = join(classDir, name, 'device');
    const typeText = await readText(join(devDir, 'type'));
    const type = typeText !== undefined && /^\d+$/.test(typeText) ? Number(typeText) : undefined;
    if (type === undefined || (!options.allTypes && type !== MMC_DEVICE_TYPE)) continue;
    const block = (await listDir(join(devDir, 'block'))).find((b) => /^[a-z]+\d*$/.test(b));
    let hctl: string | undefined;
    try {
      const target = basename(await realpath(devDir));
      if (/^\d+:\d+:\d+:\d+$/.test(target)) hctl = target;
    } catch {
      hctl = undefined;
    }
    out.push({
      path: join(dev, name),
      blockPath: block === undefined ? undefined : join(dev, block),
      type,
      vendor: (await readText(join(devDir, 'vendor'))) ?? '',
      model: (await readText(join(devDir, 'model'))) ?? '',
      revision: (await readText(join(devDir, 'rev'))) ?? '',
      hctl,
    });
  }
  return out;
}
