/**
 * Exclusive access for one recorder object, as IDiscRecorder2::AcquireExclusiveAccess /
 * ReleaseExclusiveAccess document: a lock count; the first acquire locks the device, each acquire
 * adds one, each release takes one away, and the device is free for other clients only at zero.
 *
 * Where the lock lives — the first of these the drive supports (learned on the first acquire):
 * 1. At the device, SPC-4 persistent reservation: PERSISTENT RESERVE OUT REGISTER AND IGNORE EXISTING
 *    KEY with this object's key, then RESERVE type Exclusive Access (3h). Another I_T nexus (another
 *    process or host) then gets RESERVATION CONFLICT for medium commands, which the SDK reports as
 *    E_IMAPI_RECORDER_LOCKED. The last release sends RELEASE and unregisters (REGISTER with service
 *    action key 0). This is what the openimapi emulator answers.
 * 2. At the device, SPC-2 RESERVE(6) / RELEASE(6), when PERSISTENT RESERVE OUT is an unknown command
 *    (05/20/00).
 * 3. On this host, when the drive knows neither (tgt's MMC LUN and many real burners answer 05/20/00
 *    to both): a lock file (host-lock.ts). It excludes other SDK clients on this host, not other hosts.
 * Before all of these: a transport with its own lock (`ScsiTransport.lock`, a local drive through SG_IO:
 * O_EXCL) is locked through it, and no command is sent for acquire, release or owner — every process on
 * one host shares the drive's single I_T nexus, so a reservation could not tell them apart.
 * `method` tells which one holds the lock now.
 *
 * A client that dies holds nothing for long: its iSCSI session ends and the target drops the lost
 * I_T nexus's reservation (SPC-2 reservations end with the nexus by SPC-2's rules; the emulator drops
 * persistent ones too, see its reservations.ts); a host lock whose process is gone is stale and the
 * next acquirer takes it. A target that keeps persistent reservations across I_T nexus loss (SPC-4
 * allows it) keeps a dead holder's reservation until a reset of the logical unit: this SDK never
 * preempts another client's reservation, not even with `force`.
 *
 * `force`: in IMAPI2 it means "lock even if the file system volume on the drive cannot be dismounted".
 * No host volume is mounted from a drive reached through the SDK, so `force` changes nothing here:
 * with or without it, a drive held by another client gives E_IMAPI_RECORDER_LOCKED.
 *
 * The reservation key is derived from the session: the first 8 bytes of SHA-256 over the transport
 * id, the process id and 16 random bytes (never 0, which SPC-4 reserves for "unregister").
 *
 * exclusiveAccessOwner:
 * - persistent reservation: the holder's clientName, read back from the device with PERSISTENT
 *   RESERVE IN READ FULL STATUS, whatever process or host the holder is on. SPC-4 has no field for an
 *   application's name, so the holder leaves it in an InitiatorName: once its reservation is made it
 *   opens a second session (`ScsiTransport.connectAs`) named after the client (owner-tag.ts) and
 *   registers it with its own reservation key; that session sends nothing else and ends with the
 *   lock. The owner is the client name of the registration that shares the R_HOLDER descriptor's key.
 *   When there is none (a transport without connectAs, a target that refused the second session, a
 *   holder that is not this SDK) the owner is the holder's InitiatorName.
 * - SPC-2 reservation of another initiator: SPC-2 has no way to name it; the owner reads
 *   "(SPC-2 reservation held by another initiator)".
 * - host lock: the holder's clientName, read from the lock file.
 * - nobody holds the drive: ''.
 *
 * Errors: a bad client name → E_IMAPI_RECORDER_CLIENT_NAME_IS_NOT_VALID (rule in client-name.ts);
 * another client holds the drive → E_IMAPI_RECORDER_LOCKED (the count stays 0). Release with nothing
 * held: no effect; it succeeds when the drive is free and fails with E_IMAPI_RECORDER_LOCKED when
 * another client holds it (the row of IDiscRecorder2::ReleaseExclusiveAccess's table: the caller
 * learns that the device is locked by someone else and that its release freed nothing).
 */
import { createHash, randomBytes } from 'node:crypto';
import { ScsiDevice } from '../device/scsi-device.js';
import type { ScsiTransport } from '../transport/scsi-transport.js';
import { clientNameFromTag, ownerTagName } from './owner-tag.js';
import { ImapiError } from '../errors/imapi-error.js';
import { isValidClientName } from './client-name.js';
import { encodePersistentReserveOutCdb, encodePersistentReserveOutParameters, PrOutServiceAction } from '../scsi/commands/persistent-reserve-out.js';
import { encodePersistentReserveInCdb, decodePrReadFullStatusReply, decodePrReadReservationReply, PrInServiceAction } from '../scsi/commands/persistent-reserve-in.js';
import { PrScope, PrType } from '../scsi/commands/persistent-reserve.js';
import { encodeReserve6Cdb, encodeRelease6Cdb } from '../scsi/commands/reserve-release-6.js';
import { HostLock } from './host-lock.js';

export const SPC2_OWNER = '(SPC-2 reservation held by another initiator)';

/** Where a lock is held: persistent reservation, SPC-2 reservation, the host lock file, or the transport's own lock. */
export type ExclusiveAccessMethod = 'pr' | 'spc2' | 'host' | 'transport';

/** 05/20/00 INVALID COMMAND OPERATION CODE: the drive does not implement the command. */
function unsupported(e: unknown): boolean {
  return e instanceof ImapiError && e.sense?.key === 0x5 && e.sense.asc === 0x20;
}

export class ExclusiveAccess {
  private readonly dev: ScsiDevice;
  readonly key: bigint;
  private readonly hostLock: HostLock;
  private lockCount = 0;
  /** How the lock is held now. */
  private mode: ExclusiveAccessMethod | undefined;
  /** The best method the drive supports, once an acquire has found out. */
  private capability: ExclusiveAccessMethod | undefined;
  private name: string | undefined;
  /** The session that carries the holder's client name (persistent reservation only). */
  private tag: ScsiDevice | undefined;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(dev: ScsiDevice, recorderId: string = dev.id) {
    this.dev = dev;
    const h = createHash('sha256').update(dev.id).update(String(process.pid)).update(randomBytes(16)).digest();
    const k = h.readBigUInt64BE(0);
    this.key = k === 0n ? 1n : k;
    this.hostLock = new HostLock(recorderId);
  }

  get count(): number {
    return this.lockCount;
  }
  /** The client name of the current holder through this object, if it holds the lock. */
  get clientName(): string | undefined {
    return this.lockCount > 0 ? this.name : undefined;
  }
  /** How the lock is held now (undefined while the count is 0). */
  get method(): ExclusiveAccessMethod | undefined {
    return this.mode;
  }

  acquire(_force: boolean, clientName: string): Promise<void> {
    // `force` is about dismounting a host file system volume (see the header): no effect here.
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

  /** Who holds the drive ('' when nobody does); see the header for the format per method. */
  async owner(): Promise<string> {
    const local = this.dev.transport.lock;
    if (local) return local.owner();
    if (this.capability !== 'host') {
      let status;
      try {
        status = await this.dev.read({
          cdb: (n) => encodePersistentReserveInCdb({ serviceAction: PrInServiceAction.READ_FULL_STATUS, allocationLength: n }),
          allocationLength: 1024,
          decode: decodePrReadFullStatusReply,
        });
      } catch (e) {
        if (ImapiError.is(e, 'E_IMAPI_RECORDER_LOCKED')) return SPC2_OWNER;
        if (!unsupported(e)) throw e;
      }
      if (status) {
        const holder = status.descriptors.find((d) => d.reservationHolder);
        if (!holder) return '';
        if (holder.transportId.protocol !== 'iscsi') return `protocol ${holder.transportId.protocolIdentifier} initiator`;
        for (const d of status.descriptors) {
          if (d === holder || d.key !== holder.key || d.transportId.protocol !== 'iscsi') continue;
          const client = clientNameFromTag(d.transportId.name);
          if (client !== undefined) return client;
        }
        return holder.transportId.name;
      }
      if (this.mode === 'spc2') return this.name ?? '';
    }
    return (await this.hostLock.holder())?.clientName ?? '';
  }

  /** True when the device is reserved and this object holds nothing (so the holder is someone else). */
  private async heldByAnother(): Promise<boolean> {
    const local = this.dev.transport.lock;
    if (local) return (await local.owner()) !== ''; // this object holds nothing: any holder is another
    if (this.capability !== 'host') {
      try {
        const r = await this.dev.read({
          cdb: (n) => encodePersistentReserveInCdb({ serviceAction: PrInServiceAction.READ_RESERVATION, allocationLength: n }),
          allocationLength: 24,
          decode: decodePrReadReservationReply,
        });
        return r.reservation !== undefined;
      } catch (e) {
        if (ImapiError.is(e, 'E_IMAPI_RECORDER_LOCKED')) return true; // an SPC-2 reservation of another initiator
        if (!unsupported(e)) throw e;
      }
    }
    return this.hostLock.heldByAnother();
  }

  private serial<T>(f: () => Promise<T>): Promise<T> {
    const p = this.chain.then(f, f);
    this.chain = p.catch(() => undefined);
    return p;
  }

  private prOut(serviceAction: number, reservationKey: bigint, serviceActionReservationKey: bigint, type = 0, dev = this.dev): Promise<unknown> {
    const data = encodePersistentReserveOutParameters({ reservationKey, serviceActionReservationKey, allTgPt: false, aptpl: false });
    return dev.write(encodePersistentReserveOutCdb({ serviceAction, scope: PrScope.LU_SCOPE, type, parameterListLength: data.length }), data);
  }

  private async lockDevice(clientName: string): Promise<void> {
    const local = this.dev.transport.lock;
    if (local) {
      await local.acquire(clientName);
      this.mode = 'transport';
      return;
    }
    if (this.capability === undefined || this.capability === 'pr') {
      let registered = false;
      try {
        await this.prOut(PrOutServiceAction.REGISTER_AND_IGNORE_EXISTING_KEY, 0n, this.key);
        registered = true;
        await this.prOut(PrOutServiceAction.RESERVE, this.key, 0n, PrType.EXCLUSIVE_ACCESS);
        this.capability = this.mode = 'pr';
        this.tag = await this.openTag(clientName);
        return;
      } catch (e) {
        // Locked by someone else (or refused): leave no registration behind.
        if (registered) await this.prOut(PrOutServiceAction.REGISTER, this.key, 0n).catch(() => undefined);
        if (registered || !unsupported(e)) throw e;
        this.capability = 'spc2';
      }
    }
    if (this.capability === 'spc2') {
      try {
        await this.dev.exec(encodeReserve6Cdb());
        this.mode = 'spc2';
        return;
      } catch (e) {
        if (!unsupported(e)) throw e;
        this.capability = 'host';
      }
    }
    await this.hostLock.acquire(clientName);
    this.mode = 'host';
  }

  /**
   * The session that names the holder (see the header), registered with this object's key; undefined
   * when the transport cannot open one or the device refuses it (the owner is then the InitiatorName).
   */
  private async openTag(clientName: string): Promise<ScsiDevice | undefined> {
    const transport = this.dev.transport;
    if (!transport.connectAs) return undefined;
    let t: ScsiTransport | undefined;
    try {
      t = await transport.connectAs(ownerTagName(clientName));
      const dev = new ScsiDevice(t);
      await this.prOut(PrOutServiceAction.REGISTER_AND_IGNORE_EXISTING_KEY, 0n, this.key, 0, dev);
      return dev;
    } catch {
      await t?.close().catch(() => undefined);
      return undefined;
    }
  }

  /** Unregisters and ends the naming session (ending the session alone drops it at the emulator; not every target does). */
  private async closeTag(): Promise<void> {
    const t = this.tag;
    this.tag = undefined;
    if (!t) return;
    try {
      await this.prOut(PrOutServiceAction.REGISTER, this.key, 0n, 0, t);
    } catch {
      /* gone already: nothing is left registered that matters (it holds no reservation) */
    } finally {
      await t.transport.close().catch(() => undefined);
    }
  }

  private async unlockDevice(): Promise<void> {
    const mode = this.mode;
    this.mode = undefined;
    if (mode === 'spc2') {
      await this.dev.exec(encodeRelease6Cdb());
    } else if (mode === 'pr') {
      try {
        await this.prOut(PrOutServiceAction.RELEASE, this.key, 0n, PrType.EXCLUSIVE_ACCESS);
        await this.prOut(PrOutServiceAction.REGISTER, this.key, 0n);
      } finally {
        await this.closeTag();
      }
    } else if (mode === 'host') {
      await this.hostLock.release();
    } else if (mode === 'transport') {
      await this.dev.transport.lock!.release();
    }
  }
}
