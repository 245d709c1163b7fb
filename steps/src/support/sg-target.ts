/**
 * The `sg:/dev/sgN` target: a drive on this Linux host through the native SG_IO backend
 * (@openimapi/native's sgProvider). In CI it is the emulator behind a real guest kernel's SCSI stack
 * (native/src/guest.test.ts runs the suite inside guest/run.sh's QEMU guest).
 *
 * Control plane: when the drive is the emulator, OPENIMAPI_CONTROL names its control API
 * (guest/run.sh forwards it into the guest); without it the @fault scenarios are skipped with that
 * reason and the media steps use the disc in the drive (media.ts), as on any drive nothing can load.
 *
 * How the scenarios map onto a local drive:
 * - Clients. Each client is its own DiscMaster2 and recorder, whose transport opens /dev/sgN for each
 *   command (lock mode 'acquire'). A "separate process" is a real child process opening the same node.
 * - The lock is an O_EXCL open of the node, not a SCSI reservation: every process on this host reaches
 *   the drive through one I_T nexus (here QEMU's one iSCSI session), so a reservation could not tell
 *   the clients apart. The kernel enforces it: while client A holds it, client B's open, commands and
 *   acquire fail with E_IMAPI_RECORDER_LOCKED, in this process or any other; a killed holder's fd is
 *   closed by the kernel and the lock is gone with it.
 * - The owner is the holder's clientName when the holder is in this process, `process PID (comm)`
 *   when it is another (found in /proc): Linux records no client name for an open file.
 * - Skipped, with the reason printed: ReleaseExclusiveAccess's device-failure rows (release closes the
 *   O_EXCL fd and sends no command, so there is nothing the device could fail), and the "device gone"
 *   rows (the emulator drops the iSCSI session, which QEMU's initiator logs back in transparently and
 *   retries: the guest kernel never sees the device go; the SG_IO backend's lost-device path —
 *   ENODEV at open or in SG_IO, DID_NO_CONNECT — is covered by native/src/sg-transport.test.ts).
 */
import { ControlClient } from './control.js';
import type { DriveUnderTest, Unsupported } from './target.js';

/** Environment variable naming the emulator's control API for an sg: target. */
export const CONTROL_ENV = 'OPENIMAPI_CONTROL';

const UNSUPPORTED: readonly Unsupported[] = [
  {
    tags: ['@fault'],
    step: /on the next (PERSISTENT RESERVE (IN|OUT)|RESERVE|RELEASE)\b/,
    reason: 'on sg: exclusive access is an O_EXCL open and the owner comes from this host, so no reservation command is sent for a fault to meet',
  },
  {
    tags: [],
    name: /SPC-2 reservation of another client/,
    reason: "on sg: a RESERVE(6) sent through the pass-through reserves the drive for this host's one I_T nexus, which every local client shares; the owner is the O_EXCL holder, not a reservation",
  },
  {
    tags: [],
    name: /a drive another client holds exclusively: initializing succeeds/,
    reason: "on sg: the O_EXCL holder shuts every other open of the node out, INQUIRY included, so a second client cannot initialize until the lock is released (IMAPI2's remark assumes a driver that answers identity without the device)",
  },
  {
    tags: ['@method:IDiscRecorder2.ReleaseExclusiveAccess', '@fault'],
    reason: 'on sg: ReleaseExclusiveAccess closes the O_EXCL fd and sends no command, so no device failure can reach it',
  },
  {
    tags: ['@timeout'],
    reason: "on sg: a command the emulator never answers hangs the guest's SG_IO for good — virtio-scsi's guest driver never times a command out (virtscsi_eh_timed_out re-arms the timer and leaves it to the host), and QEMU's scsi-generic over iSCSI cannot abort one (the block layer's ioctl request has no cancel, so no ABORT TASK reaches the target); the kernel-timeout path (DID_TIME_OUT / DRIVER_TIMEOUT → E_IMAPI_RECORDER_COMMAND_TIMEOUT) is covered by native/src/sg-transport.test.ts",
  },
  {
    tags: ['@fault'],
    step: /"command timeout"/,
    reason: "on sg: a command the emulator never answers hangs the guest's SG_IO for good — virtio-scsi's guest driver never times a command out (virtscsi_eh_timed_out re-arms the timer and leaves it to the host), and QEMU's scsi-generic over iSCSI cannot abort one (the block layer's ioctl request has no cancel, so no ABORT TASK reaches the target); the kernel-timeout path (DID_TIME_OUT / DRIVER_TIMEOUT → E_IMAPI_RECORDER_COMMAND_TIMEOUT) is covered by native/src/sg-transport.test.ts",
  },
  {
    tags: ['@fault'],
    step: /"device gone"/,
    reason: "on sg: the emulator's device-gone fault drops the iSCSI session, which QEMU's initiator re-establishes and retries transparently; the guest kernel never sees the device go (the lost-device path is covered by native/src/sg-transport.test.ts)",
  },
];

export async function openSgTarget(target: string): Promise<DriveUnderTest> {
  const path = target.slice('sg:'.length);
  if (!path.startsWith('/')) throw new Error(`target ${target}: expected sg:/dev/sgN`);
  const native = await import('@openimapi/native');
  const avail = native.nativeAvailability();
  if (!avail.available) throw new Error(`target ${target}: ${avail.reason}`);
  // Fails early, with the errno's HRESULT, when the node is missing or not an SG_IO device.
  await (await native.SgTransport.open(path, { lock: 'acquire' })).close();

  const controlUrl = process.env[CONTROL_ENV];
  if (controlUrl !== undefined && controlUrl !== '' && !/^http:\/\/[^/\s]+$/.test(controlUrl)) {
    throw new Error(`${CONTROL_ENV}=${controlUrl}: expected http://HOST:PORT`);
  }
  const control = controlUrl ? new ControlClient(controlUrl) : undefined;
  const provider = native.sgProvider();
  return {
    target,
    uniqueId: target,
    control,
    limits: control ? undefined : `a local drive without the emulator control plane (set ${CONTROL_ENV} when it is the emulator)`,
    masterOptions: () => ({ providers: [provider] }),
    lockOwner: 'local',
    unsupported: UNSUPPORTED,
    stop: async () => {},
  };
}
