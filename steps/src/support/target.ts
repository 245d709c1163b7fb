/**
 * The drive under test, chosen by the world parameter `target`:
 *   emulator        a local openimapi-emulator process per cucumber worker (default);
 *   container       the emulator image started with testcontainers (see container.ts);
 *   iscsi://...     any iSCSI target (no control plane: @fault scenarios are skipped, and the media
 *                   steps use the disc in the drive, see media.ts);
 *   sg:/dev/sgN     a local drive through the native SG_IO backend (see sg-target.ts: the lock is
 *                   O_EXCL; the control plane, when the drive is an emulator, from OPENIMAPI_CONTROL);
 *   usb:VID:PID     a USB burner through Bulk-Only Transport.
 * and by the world parameter `fixture` (or OPENIMAPI_FIXTURE): a lab fixture's serial port
 * (`/dev/ttyUSB0`) that does the physical acts (no media, device gone, swap media) on a real drive
 * (docs/lab-fixture.md); `emulator` drives the emulator through its own fixture on a pty instead of
 * its HTTP control plane, to run the same steps the way a bench does.
 */
import { LabFixture, type DiscMaster2Options } from '@openimapi/sdk';
import { startEmulator, type EmulatorProcess } from './emulator-process.js';
import { ControlClient, type DriveControl } from './control.js';
import { FixtureControl } from './fixture-control.js';

/**
 * A scenario this drive cannot run, and why: every tag in `tags` present, `name` matching the scenario
 * name (if given) and `step` matching one of its steps (if given).
 */
export interface Unsupported {
  readonly tags: readonly string[];
  readonly name?: RegExp;
  readonly step?: RegExp;
  readonly reason: string;
}

export interface DriveUnderTest {
  readonly target: string;
  /** Unique id the SDK opens (iSCSI URL, sg path, usb id). */
  readonly uniqueId: string;
  /** Control plane, when the drive is an emulator. */
  readonly control: DriveControl | undefined;
  /** Why scenarios that need a control plane or a particular media cannot run here. */
  readonly limits: string | undefined;
  /** How a client reaches the drive (default: the iSCSI URL `uniqueId` with the client's InitiatorName). */
  readonly masterOptions?: (initiatorName: string) => Pick<DiscMaster2Options, 'urls' | 'providers' | 'session'>;
  /**
   * What the exclusive access owner names (default 'client'): the holder's clientName, wherever the
   * holder is; 'local': the clientName when the holder is in this process, `process PID (...)` when it
   * is another process (the SG_IO backend's O_EXCL lock).
   */
  readonly lockOwner?: 'client' | 'local';
  /** Scenarios skipped on this drive, each with its reason (printed with the run). */
  readonly unsupported?: readonly Unsupported[];
  stop(): Promise<void>;
}

/** The reason a scenario cannot run on `drive`, or undefined. */
export function unsupportedReason(drive: DriveUnderTest, tags: readonly string[], name: string, steps: readonly string[] = []): string | undefined {
  return drive.unsupported?.find((u) => u.tags.every((t) => tags.includes(t)) && (u.name === undefined || u.name.test(name)) && (u.step === undefined || steps.some((x) => u.step!.test(x))))?.reason;
}

export async function openTarget(target: string, fixture?: string): Promise<DriveUnderTest> {
  if (target === 'emulator' && fixture === 'emulator') {
    const emu: EmulatorProcess = await startEmulator({ extraArgs: ['--fixture-pty'] });
    const lab = await LabFixture.open(emu.fixturePath!);
    const stop = async () => {
      await lab.close();
      await emu.stop();
    };
    return { target, uniqueId: emu.urls[0]!, control: new FixtureControl(lab), limits: 'a lab fixture: physical acts only', stop };
  }
  if (target === 'emulator') {
    const emu: EmulatorProcess = await startEmulator();
    return { target, uniqueId: emu.urls[0]!, control: new ControlClient(emu.controlUrl), limits: undefined, stop: () => emu.stop() };
  }
  if (/^(iscsi:\/\/|usb:)/i.test(target)) {
    const lab = fixture ? await LabFixture.open(fixture) : undefined;
    const what = target.startsWith('usb:') ? 'a USB drive' : 'an iSCSI target';
    return {
      target,
      uniqueId: target,
      control: lab ? new FixtureControl(lab) : undefined,
      limits: lab ? `${what} with a lab fixture: physical acts only` : `${what} without the emulator control plane or a lab fixture`,
      stop: async () => lab?.close(),
    };
  }
  if (target === 'container') {
    const { startContainer } = await import('./container.js');
    return startContainer();
  }
  if (/^sg:/.test(target)) {
    const { openSgTarget } = await import('./sg-target.js');
    return openSgTarget(target);
  }
  throw new Error(`unknown target ${JSON.stringify(target)} (emulator | container | iscsi://... | sg:/dev/sgN | usb:VID:PID)`);
}
