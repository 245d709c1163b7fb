/**
 * Exclusive access for one recorder object, as IDiscRecorder2::AcquireExclusiveAccess /
 * ReleaseExclusiveAccess document: a lock count; the first acquire locks the device, each acquire
 * adds one, each release takes one away, and the device is free for other clients only at zero.
 *
 * The lock lives AT THE DEVICE, so it holds across processes and hosts:
 * - SPC-4 persistent reservation: PERSISTENT RESERVE OUT REGISTER AND IGNORE EXISTING KEY with this
 *   object's key, then RESERVE type Exclusive Access (3h). Another I_T nexus then gets RESERVATION
 *   CONFLICT for medium commands, which the SDK reports as E_IMAPI_RECORDER_LOCKED. The last release
 *   sends RELEASE and unregisters (REGISTER with service action key 0).
 * - Fallback when the drive does not implement PERSISTENT RESERVE OUT (ILLEGAL REQUEST, 20/00):
 *   SPC-2 RESERVE(6) / RELEASE(6).
 * - A transport with its own lock (`ScsiTransport.lock`, a local drive through SG_IO: O_EXCL) is
 *   locked through it instead, and no command is sent for acquire, release or owner: all processes
 *   on one host share the drive's single I_T nexus, so a reservation could not tell them apart.
 * A client that dies holds nothing for long: its iSCSI session ends and the target drops the lost
 * I_T nexus's reservation (the emulator does so on nexus loss; RESERVE(6) reservations end with the
 * nexus by SPC-2's rules).
 *
 * The reservation key is derived from the session: the first 8 bytes of SHA-256 over the transport
 * id, the process id and 16 random bytes (never 0, which SPC-4 reserves for "unregister").
 *
 * exclusiveAccessOwner: the holder's iSCSI InitiatorName, read from PERSISTENT RESERVE IN READ FULL
 * STATUS (the TransportID of the descriptor with R_HOLDER set). Decision: the clientName given to
 * acquire is NOT carried to the device — SPC-4 has no field another initiator can read it back from
 * (the reservation key is 8 bytes; the InitiatorAlias is not reported by the target). It is validated
 * and kept on this object (`clientName`). An application that wants its name shown to other clients
 * sets it in its InitiatorName (DiscMaster2 option `initiatorName`,
 * e.g. `iqn.2026-11.org.openimapi:sdk.host:burner-app`). When the holder used RESERVE(6), SPC-2 has
 * no way to name it: the owner reads "(SPC-2 reservation held by another initiator)".
 *
 * Errors: a bad client name → E_IMAPI_RECORDER_CLIENT_NAME_IS_NOT_VALID (rule in client-name.ts);
 * another client holds the drive → E_IMAPI_RECORDER_LOCKED (the count stays 0). Release with nothing
 * held: no effect; it succeeds when the drive is free and fails with E_IMAPI_RECORDER_LOCKED when
 * another client holds it (the row of IDiscRecorder2::ReleaseExclusiveAccess's table: the caller
 * learns that the device is locked by someone else and that its release freed nothing).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ScsiDevice } from '../device/scsi-device.js';
import { ImapiError } from '../errors/imapi-error.js';
import { isValidClientName } from './client-name.js';
import { encodePersistentReserveOutCdb, encodePersistentReserveOutParameters, PrOutServiceAction } from '../scsi/commands/persistent-reserve-out.js';
import { encodePersistentReserveInCdb, decodePrReadFullStatusReply, decodePrReadReservationReply, PrInServiceAction } from '../scsi/commands/persistent-reserve-in.js';
import { PrScope, PrType } from '../scsi/commands/persistent-reserve.js';
import { encodeReserve6Cdb, encodeRelease6Cdb } from '../scsi/commands/reserve-release-6.js';

export const SPC2_OWNER = '(SPC-2 reservation held by another initiator)';

function unsupported(e: unknown): boolean {
  return e instanceof ImapiError && e.sense?.key === 0x5 && e.sense.asc === 0x20;
}

export class ExclusiveAccess {
  private readonly dev: ScsiDevice;
  readonly key: bigint;
  private lockCount = 0;
  private mode: 'pr' | 'spc2' | 'transport' | undefined;
  private name: string | undefined;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(dev: ScsiDevice) {
    this.dev = dev;
    const h = createHash('sha256').update(dev.id).update(String(process.pid)).update(randomBytes(16)).digest();
    const k = h.readBigUInt64BE(0);
    this.key = k === 0n ? 1n : k;
  }

  get count(): number {
    return this.lockCount;
  }
  /** The client name of the current holder through this object, if it holds the lock. */
  get clientName(): string | undefined {
    return this.lockCount > 0 ? this.name : undefined;
  }
  /** How the device lock was taken: persistent reservation, SPC-2 RESERVE(6) or the transport's own lock. */
  get method(): 'pr' | 'spc2' | 'transport' | undefined {
    return this.mode;
  }

  acquire(_force: boolean, clientName: string): Promise<void> {
    // `force` in IMAPI2 is about dismounting the host's file system volume; there is none here, so it
    // never preempts another client's reservation.
    if (!isValidClientName(clientName)) return Promise.reject(new ImapiError('E_IMAPI_RECORDER_CLIENT_NAME_IS_NOT_VALID'));
    return this.serial(async () => {
      if (this.lockCount > 0) {
        this.lockCount++;
        return;
      }
      await this.lockDevice(clientName);
      this.name = clientName;
      this.lockCount = 1;
    });
  }

  release(): Promise<void> {
    return this.serial(async () => {
      if (this.lockCount === 0) {
        if (await this.heldByAnother()) throw new ImapiError('E_IMAPI_RECORDER_LOCKED', 'E_IMAPI_RECORDER_LOCKED (0xC0AA0210): nothing to release; another client holds the device');
        return;
      }
      if (this.lockCount > 1) {
        this.lockCount--;
        return;
      }
      await this.unlockDevice();
      this.lockCount = 0;
      this.name = undefined;
    });
  }

  /** Drops every lock this object holds (close). */
  releaseAll(): Promise<void> {
    return this.serial(async () => {
      if (this.lockCount === 0) return;
      this.lockCount = 0;
      this.name = undefined;
      await this.unlockDevice();
    });
  }

  /** The holder's InitiatorName, '' when nobody holds the drive. */
  async owner(): Promise<string> {
    const local = this.dev.transport.lock;
    if (local) return local.owner();
    let status;
    try {
      status = await this.dev.read({
        cdb: (n) => encodePersistentReserveInCdb({ serviceAction: PrInServiceAction.READ_FULL_STATUS, allocationLength: n }),
        allocationLength: 1024,
        decode: decodePrReadFullStatusReply,
      });
    } catch (e) {
      if (ImapiError.is(e, 'E_IMAPI_RECORDER_LOCKED')) return SPC2_OWNER;
      if (unsupported(e)) return this.lockCount > 0 && this.name ? this.name : '';
      throw e;
    }
    const holder = status.descriptors.find((d) => d.reservationHolder);
    if (!holder) return '';
    return holder.transportId.protocol === 'iscsi' ? holder.transportId.name : `protocol ${holder.transportId.protocolIdentifier} initiator`;
  }

  /** True when the device is reserved and this object holds nothing (so the holder is someone else). */
  private async heldByAnother(): Promise<boolean> {
    const local = this.dev.transport.lock;
    if (local) return (await local.owner()) !== ''; // this object holds nothing: any holder is another
    try {
      const r = await this.dev.read({
        cdb: (n) => encodePersistentReserveInCdb({ serviceAction: PrInServiceAction.READ_RESERVATION, allocationLength: n }),
        allocationLength: 24,
        decode: decodePrReadReservationReply,
      });
      return r.reservation !== undefined;
    } catch (e) {
      if (ImapiError.is(e, 'E_IMAPI_RECORDER_LOCKED')) return true; // an SPC-2 reservation of another initiator
      if (unsupported(e)) return false;
      throw e;
    }
  }

  private serial<T>(f: () => Promise<T>): Promise<T> {
    const p = this.chain.then(f, f);
    this.chain = p.catch(() => undefined);
    return p;
  }

  private prOut(serviceAction: number, reservationKey: bigint, serviceActionReservationKey: bigint, type = 0): Promise<unknown> {
    const data = encodePersistentReserveOutParameters({ reservationKey, serviceActionReservationKey, allTgPt: false, aptpl: false });
    return this.dev.write(encodePersistentReserveOutCdb({ serviceAction, scope: PrScope.LU_SCOPE, type, parameterListLength: data.length }), data);
  }

  private async lockDevice(clientName: string): Promise<void> {
    const local = this.dev.transport.lock;
    if (local) {
      await local.acquire(clientName);
      this.mode = 'transport';
      return;
    }
    try {
      await this.prOut(PrOutServiceAction.REGISTER_AND_IGNORE_EXISTING_KEY, 0n, this.key);
    } catch (e) {
      if (!unsupported(e)) throw e;
      try {
        await this.dev.exec(encodeReserve6Cdb());
      } catch (e2) {
        if (!unsupported(e2) || !(e2 instanceof ImapiError)) throw e2;
        throw new ImapiError(e2.hresult, `${e2.hresultName}: the drive supports neither PERSISTENT RESERVE OUT nor RESERVE(6); it cannot be locked`, { ...(e2.sense ? { sense: e2.sense } : {}) });
      }
      this.mode = 'spc2';
      return;
    }
    try {
      await this.prOut(PrOutServiceAction.RESERVE, this.key, 0n, PrType.EXCLUSIVE_ACCESS);
    } catch (e) {
      // Locked by someone else (or refused): leave no registration behind.
      await this.prOut(PrOutServiceAction.REGISTER, this.key, 0n).catch(() => undefined);
      throw e;
    }
    this.mode = 'pr';
  }

  private async unlockDevice(): Promise<void> {
    if (this.mode === 'transport') {
      await this.dev.transport.lock!.release();
    } else if (this.mode === 'spc2') {
      await this.dev.exec(encodeRelease6Cdb());
    } else if (this.mode === 'pr') {
      await this.prOut(PrOutServiceAction.RELEASE, this.key, 0n, PrType.EXCLUSIVE_ACCESS);
      await this.prOut(PrOutServiceAction.REGISTER, this.key, 0n);
    }
    this.mode = undefined;
  }
}
