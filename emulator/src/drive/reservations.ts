/**
 * Exclusive access to the drive across clients: SPC-2 RESERVE(6)/RELEASE(6) and SPC-4 persistent
 * reservations (§5.13), and the conflict rules a command from another I_T nexus meets.
 *
 * Conflict rules (SPC-4 §5.13.1, table "SPC commands that are allowed in the presence of various
 * reservations"; SPC-2 §5.5.1 for RESERVE/RELEASE):
 * - Always allowed, from any nexus: INQUIRY, REPORT LUNS, REQUEST SENSE, TEST UNIT READY,
 *   PERSISTENT RESERVE IN, LOG SENSE, READ MEDIA SERIAL NUMBER; PERSISTENT RESERVE OUT is judged by
 *   its own rules (registration keys). RELEASE(6) from a non-holder completes GOOD with no effect.
 * - Our choice for MMC: GET CONFIGURATION and GET EVENT STATUS NOTIFICATION are allowed too, so that
 *   another client can still enumerate the drive and see media events (and learn who holds it); the
 *   IMAPI2 model reports the lock from the first command that touches the medium or the mode pages.
 * - Write Exclusive (1) / WE registrants only (5) / WE all registrants (7): commands that only read
 *   the medium or the drive's state are allowed, the rest conflict.
 * - Exclusive Access (3/6/8): everything else conflicts.
 * - Registrants-only / all-registrants types: every registered nexus has the holder's access.
 * - While an SPC-2 reservation is held, PERSISTENT RESERVE IN/OUT from another nexus conflict; while
 *   any registration exists, RESERVE(6)/RELEASE(6) conflict (SPC-4 §5.13.3).
 *
 * Loss of a session (`nexusLost`) is treated as releasing everything that nexus held — its SPC-2
 * reservation, its registration and the persistent reservation it held — so a killed client never
 * keeps the drive (SPC-4 would keep registrations across I_T nexus loss unless APTPL is off and the
 * device chooses otherwise; for a burner shared by test clients, releasing is what callers need).
 */
import { Opcode, PrType, Sense } from '@openimapi/sdk';
import type { ItNexus } from '../lun.js';
import type { UnitAttentions } from './unit-attention.js';

const prTypeNames: Record<number, string> = {
  [PrType.WRITE_EXCLUSIVE]: 'write-exclusive',
  [PrType.EXCLUSIVE_ACCESS]: 'exclusive-access',
  [PrType.WRITE_EXCLUSIVE_REGISTRANTS_ONLY]: 'write-exclusive-registrants-only',
  [PrType.EXCLUSIVE_ACCESS_REGISTRANTS_ONLY]: 'exclusive-access-registrants-only',
  [PrType.WRITE_EXCLUSIVE_ALL_REGISTRANTS]: 'write-exclusive-all-registrants',
  [PrType.EXCLUSIVE_ACCESS_ALL_REGISTRANTS]: 'exclusive-access-all-registrants',
};

const ALWAYS_ALLOWED = new Set<number>([
  Opcode.INQUIRY,
  Opcode.REPORT_LUNS,
  Opcode.REQUEST_SENSE,
  Opcode.TEST_UNIT_READY,
  Opcode.PERSISTENT_RESERVE_IN,
  0x4d, // LOG SENSE
  Opcode.READ_MEDIA_SERIAL_NUMBER,
  Opcode.GET_CONFIGURATION,
  Opcode.GET_EVENT_STATUS_NOTIFICATION,
]);

/** Commands that read the medium or the drive's state: allowed to non-holders under Write Exclusive. */
const READS = new Set<number>([
  Opcode.READ_10,
  Opcode.READ_12,
  Opcode.READ_CD,
  Opcode.READ_CD_MSF,
  Opcode.READ_CAPACITY_10,
  Opcode.READ_TOC_PMA_ATIP,
  Opcode.READ_DISC_INFORMATION,
  Opcode.READ_TRACK_INFORMATION,
  Opcode.READ_BUFFER_CAPACITY,
  Opcode.READ_DISC_STRUCTURE,
  Opcode.READ_FORMAT_CAPACITIES,
  Opcode.READ_SUBCHANNEL,
  Opcode.GET_PERFORMANCE,
  Opcode.MECHANISM_STATUS,
  Opcode.MODE_SENSE_6,
  Opcode.MODE_SENSE_10,
  Opcode.SEEK_10,
  Opcode.VERIFY_10,
]);

export interface Registration {
  readonly nexus: ItNexus;
  key: bigint;
}

export interface PersistentReservation {
  /** Holder nexus id (for all-registrants types: the nexus that reserved; every registrant holds). */
  holder: string;
  type: number;
  key: bigint;
}

export class Reservations {
  spc2: ItNexus | undefined;
  readonly registrations = new Map<string, Registration>();
  pr: PersistentReservation | undefined;
  /** PRGENERATION (SPC-4 §6.16.2): bumped by every REGISTER/CLEAR/PREEMPT that changes registrations. */
  generation = 0;

  constructor(private readonly ua: UnitAttentions) {}

  isRegistered(nexusId: string): boolean {
    return this.registrations.has(nexusId);
  }

  /** True when `nexusId` holds the persistent reservation (all registrants hold for types 7/8). */
  holdsPr(nexusId: string): boolean {
    if (!this.pr) return false;
    if (this.pr.type === PrType.WRITE_EXCLUSIVE_ALL_REGISTRANTS || this.pr.type === PrType.EXCLUSIVE_ACCESS_ALL_REGISTRANTS) {
      return this.registrations.has(nexusId);
    }
    return this.pr.holder === nexusId;
  }

  /** Whether a command with `opcode` from `nexusId` meets RESERVATION CONFLICT. */
  conflicts(nexusId: string, opcode: number): boolean {
    if (this.spc2 && this.spc2.id !== nexusId) {
      if (opcode === Opcode.RELEASE_6) return false; // GOOD, no effect (SPC-2 §7.17)
      if (opcode === Opcode.PERSISTENT_RESERVE_OUT) return true;
      if (opcode === Opcode.PERSISTENT_RESERVE_IN) return true;
      return !ALWAYS_ALLOWED.has(opcode);
    }
    if ((opcode === Opcode.RESERVE_6 || opcode === Opcode.RELEASE_6) && (this.registrations.size > 0 || this.pr)) return true;
    if (!this.pr || opcode === Opcode.PERSISTENT_RESERVE_OUT) return false;
    if (this.holdsPr(nexusId)) return false;
    const t = this.pr.type;
    const registrantsShare = t === PrType.WRITE_EXCLUSIVE_REGISTRANTS_ONLY || t === PrType.EXCLUSIVE_ACCESS_REGISTRANTS_ONLY;
    if (registrantsShare && this.registrations.has(nexusId)) return false;
    if (ALWAYS_ALLOWED.has(opcode)) return false;
    const writeExclusive = t === PrType.WRITE_EXCLUSIVE || t === PrType.WRITE_EXCLUSIVE_REGISTRANTS_ONLY || t === PrType.WRITE_EXCLUSIVE_ALL_REGISTRANTS;
    return !(writeExclusive && READS.has(opcode));
  }

  /** Drops what `nexusId` held. Returns true when anything was released. */
  dropNexus(nexusId: string): boolean {
    let changed = false;
    if (this.spc2?.id === nexusId) {
      this.spc2 = undefined;
      changed = true;
    }
    if (this.registrations.delete(nexusId)) {
      changed = true;
      this.generation++;
      if (this.pr) {
        if (this.isAllRegistrants()) {
          const next = this.registrations.keys().next();
          if (next.done) this.releasePr(nexusId);
          else if (this.pr.holder === nexusId) this.pr.holder = next.value;
        } else if (this.pr.holder === nexusId) {
          this.releasePr(nexusId);
        }
      }
    }
    return changed;
  }

  /** Releases the persistent reservation; registrants-only/all-registrants types notify the others (2A/04). */
  releasePr(by: string): void {
    const pr = this.pr;
    if (!pr) return;
    this.pr = undefined;
    if (pr.type >= PrType.WRITE_EXCLUSIVE_REGISTRANTS_ONLY) {
      this.ua.establish(Sense.RESERVATIONS_RELEASED, { except: by, only: [...this.registrations.keys()] });
    }
  }

  isAllRegistrants(): boolean {
    return this.pr?.type === PrType.WRITE_EXCLUSIVE_ALL_REGISTRANTS || this.pr?.type === PrType.EXCLUSIVE_ACCESS_ALL_REGISTRANTS;
  }

  /** SPC-4 §6.6 / iSCSI TransportID text of the holder: `iqn...,i,0x<isid>`. */
  describe(): {
    spc2: { holder: string; initiatorName: string; isid: string } | null;
    registrations: { nexus: string; initiatorName: string; isid: string; key: string }[];
    persistent: { holder: string; initiatorName: string; isid: string; type: string; key: string } | null;
    generation: number;
  } {
    const holder = this.pr ? this.registrations.get(this.pr.holder)?.nexus : undefined;
    return {
      spc2: this.spc2 ? { holder: this.spc2.id, initiatorName: this.spc2.initiatorName, isid: this.spc2.isid } : null,
      registrations: [...this.registrations.values()].map((r) => ({
        nexus: r.nexus.id,
        initiatorName: r.nexus.initiatorName,
        isid: r.nexus.isid,
        key: '0x' + r.key.toString(16).padStart(16, '0'),
      })),
      persistent:
        this.pr && holder
          ? {
              holder: holder.id,
              initiatorName: holder.initiatorName,
              isid: holder.isid,
              type: prTypeNames[this.pr.type] ?? String(this.pr.type),
              key: '0x' + this.pr.key.toString(16).padStart(16, '0'),
            }
          : null,
      generation: this.generation,
    };
  }

  clearAll(): void {
    this.spc2 = undefined;
    this.registrations.clear();
    this.pr = undefined;
    this.generation++;
  }
}
