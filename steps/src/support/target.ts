/**
 * The drive under test, chosen by the world parameter `target`:
 *   emulator        a local openimapi-emulator process per cucumber worker (default);
 *   container       the emulator image started with testcontainers (see container.ts);
 *   iscsi://...     any iSCSI target (no control plane: @fault scenarios are skipped);
 *   sg:/dev/sgN     a local drive through the native SG_IO backend;
 *   usb:VID:PID     a USB burner through Bulk-Only Transport.
 */
import { startEmulator, type EmulatorProcess } from './emulator-process.js';
import { ControlClient } from './control.js';

export interface DriveUnderTest {
  readonly target: string;
  /** Unique id the SDK opens (iSCSI URL, sg path, usb id). */
  readonly uniqueId: string;
  /** Control plane, when the drive is an emulator. */
  readonly control: ControlClient | undefined;
  /** Why scenarios that need a control plane or a particular media cannot run here. */
  readonly limits: string | undefined;
  stop(): Promise<void>;
}

export async function openTarget(target: string): Promise<DriveUnderTest> {
  if (target === 'emulator') {
    const emu: EmulatorProcess = await startEmulator();
    return { target, uniqueId: emu.urls[0]!, control: new ControlClient(emu.controlUrl), limits: undefined, stop: () => emu.stop() };
  }
  if (/^iscsi:\/\//i.test(target)) {
    return { target, uniqueId: target, control: undefined, limits: 'an iSCSI target without the emulator control plane', stop: async () => {} };
  }
  if (target === 'container') {
    const { startContainer } = await import('./container.js');
    return startContainer();
  }
  if (/^(sg|usb):/.test(target)) {
    throw new Error(`target ${target}: the native and USB backends are not part of this SDK yet`);
  }
  throw new Error(`unknown target ${JSON.stringify(target)} (emulator | container | iscsi://... | sg:/dev/sgN | usb:VID:PID)`);
}
