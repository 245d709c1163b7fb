/**
 * The drive under test, chosen by the world parameter `target`:
 *   emulator        a local openimapi-emulator process per cucumber worker (default);
 *   container       the emulator image started with testcontainers (see container.ts);
 *   iscsi://...     any iSCSI target (no control plane: @fault scenarios are skipped);
 *   sg:/dev/sgN     a local drive through the native SG_IO backend;
 *   usb:VID:PID     a USB burner through Bulk-Only Transport.
 * and by the world parameter `fixture` (or OPENIMAPI_FIXTURE): a lab fixture's serial port
 * (`/dev/ttyUSB0`) that does the physical acts (no media, device gone, swap media) on a real drive
 * (docs/lab-fixture.md); `emulator` drives the emulator through its own fixture on a pty instead of
 * its HTTP control plane, to run the same steps the way a bench does.
 */
import { LabFixture } from '@openimapi/sdk';
import { startEmulator, type EmulatorProcess } from './emulator-process.js';
import { ControlClient, type DriveControl } from './control.js';
import { FixtureControl } from './fixture-control.js';

export interface DriveUnderTest {
  readonly target: string;
  /** Unique id the SDK opens (iSCSI URL, sg path, usb id). */
  readonly uniqueId: string;
  /** Control plane, when the drive is an emulator. */
  readonly control: DriveControl | undefined;
  /** Why scenarios that need a control plane or a particular media cannot run here. */
  readonly limits: string | undefined;
  stop(): Promise<void>;
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
    throw new Error(`target ${target}: the native backend is not part of this SDK yet`);
  }
  throw new Error(`unknown target ${JSON.stringify(target)} (emulator | container | iscsi://... | sg:/dev/sgN | usb:VID:PID)`);
}
