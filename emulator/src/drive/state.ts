/**
 * The drive's state, with ONE owner: tray, medium slot, becoming-ready window, per-nexus unit
 * attentions and media events, PREVENT/ALLOW per nexus, the long operation in progress (BLANK,
 * FORMAT), reservations, speeds. Handlers read it and change it only through these methods, after
 * validating their command completely.
 *
 * Readiness (MMC-6 §4.1.6, Annex F), checked by `requireMedium` in this order:
 *   operation in progress → 02/04/07 (BLANK) or 02/04/04 (FORMAT), with progress in the sense;
 *   tray open → 02/3A/02; tray closed, no disc → 02/3A/01; inside the becoming-ready window after a
 *   load → 02/04/01.
 */
import { CheckCondition, Sense, type SenseCondition } from '@openimapi/sdk';
import type { Medium } from '../media/medium.js';
import type { WriteBuffer } from '../media/write-buffer.js';
import type { ItNexus } from '../lun.js';
import { UnitAttentions } from './unit-attention.js';
import { Reservations } from './reservations.js';
import type { DriveLogger } from './logger.js';

/** GET EVENT STATUS NOTIFICATION media event codes (MMC-6 table "Media Event Format", MEDIA EVENT CODE). */
export const MediaEvent = {
  NO_CHANGE: 0x0,
  EJECT_REQUEST: 0x1,
  NEW_MEDIA: 0x2,
  MEDIA_REMOVAL: 0x3,
  MEDIA_CHANGED: 0x4,
} as const;

export interface LongOperation {
  readonly kind: 'blank' | 'format';
  readonly startedAt: number;
  readonly durationMs: number;
  readonly timer: NodeJS.Timeout | undefined;
}

export interface DriveStateOptions {
  /** Time the drive reports 02/04/01 after a disc is loaded (ms, real time). */
  becomingReadyMs: number;
  /** Milliseconds clock (injectable for tests). */
  now: () => number;
  powerOnAttention: boolean;
  logger: DriveLogger;
  /** Called after the tray or the disc in it changed (load, eject, tray close). */
  onTrayChange?: () => void;
}

export class DriveState {
  tray: 'open' | 'closed' = 'closed';
  medium: Medium | undefined;
  readyAt = 0;
  readonly ua: UnitAttentions;
  readonly reservations: Reservations;
  /** Nexuses with PREVENT set (MMC-6 §6.12: the medium is locked while any nexus prevents). */
  readonly prevent = new Set<string>();
  /** Media event pending per nexus (GESN reports and clears the oldest). */
  private readonly mediaEvents = new Map<string, number[]>();
  operation: LongOperation | undefined;
  /** Current read/write speeds in kB/s (1 kB = 1000 bytes, MMC-6 §6.37); undefined = maximum. */
  readSpeed: number | undefined;
  writeSpeed: number | undefined;
  /**
   * The drive buffer of the recording run in progress (realistic speed model only): created by the
   * first WRITE of a track/session, ended by SYNCHRONIZE CACHE, CLOSE TRACK/SESSION, an underrun
   * without BUFE, a medium change or a reset.
   */
  writeBuffer: WriteBuffer | undefined;
  readonly opts: DriveStateOptions;

  constructor(opts: DriveStateOptions) {
    this.opts = opts;
    this.ua = new UnitAttentions({ powerOnAttention: opts.powerOnAttention });
    this.reservations = new Reservations(this.ua);
  }

  /** First command of a nexus: power-on unit attention; media events start empty. */
  touch(nexus: ItNexus): void {
    if (this.ua.touch(nexus.id)) this.mediaEvents.set(nexus.id, []);
  }

  // ---- readiness ------------------------------------------------------------------------------

  /** The condition that keeps the medium from being accessed now, or undefined when ready. */
  notReadyCondition(): { cond: SenseCondition; progress?: number } | undefined {
    const op = this.operation;
    if (op) {
      const progress = Math.min(0xffff, Math.floor(((this.opts.now() - op.startedAt) / Math.max(1, op.durationMs)) * 0x10000));
      return { cond: op.kind === 'blank' ? Sense.LOGICAL_UNIT_NOT_READY_OPERATION_IN_PROGRESS : Sense.LOGICAL_UNIT_NOT_READY_FORMAT_IN_PROGRESS, progress };
    }
    if (this.tray === 'open') return { cond: Sense.MEDIUM_NOT_PRESENT_TRAY_OPEN };
    if (!this.medium) return { cond: Sense.MEDIUM_NOT_PRESENT_TRAY_CLOSED };
    if (this.readyAt !== 0) {
      if (this.opts.now() < this.readyAt) return { cond: Sense.LOGICAL_UNIT_IS_IN_PROCESS_OF_BECOMING_READY };
      this.readyAt = 0; // ready: no clock reads until the next load
    }
    return undefined;
  }

  /** The medium, or CheckCondition NOT READY with the reason. */
  requireMedium(): Medium {
    const nr = this.notReadyCondition();
    if (nr) throw new CheckCondition(nr.cond);
    return this.medium!;
  }

  /** "No medium" condition for the tray's position (used by faults). */
  noMediumCondition(): SenseCondition {
    return this.tray === 'open' ? Sense.MEDIUM_NOT_PRESENT_TRAY_OPEN : Sense.MEDIUM_NOT_PRESENT_TRAY_CLOSED;
  }

  // ---- tray and medium ------------------------------------------------------------------------

  /** True when some nexus (other than `except`) has PREVENT in effect. */
  prevented(): boolean {
    return this.prevent.size > 0;
  }

  setPrevent(nexusId: string, on: boolean): void {
    if (on) this.prevent.add(nexusId);
    else this.prevent.delete(nexusId);
  }

  /** The disc when it is in the drive (tray closed), else undefined — a disc on the open tray is out of reach. */
  get loadedMedium(): Medium | undefined {
    return this.tray === 'closed' ? this.medium : undefined;
  }

  /**
   * Puts a disc in the slot and closes the tray: unit attention 06/28/00 for every nexus, a NewMedia
   * event, and the becoming-ready window. The previous disc (if any) is closed first.
   */
  insert(medium: Medium): void {
    this.removeMedium();
    this.medium = medium;
    this.tray = 'closed';
    this.readyAt = this.opts.now() + this.opts.becomingReadyMs;
    this.ua.establish(Sense.NOT_READY_TO_READY_CHANGE_MEDIUM_MAY_HAVE_CHANGED);
    this.postMediaEvent(MediaEvent.NEW_MEDIA);
    this.opts.logger.info('medium loaded', { kind: medium.kind, state: medium.state });
    this.opts.onTrayChange?.();
  }

  /**
   * Opens the tray (eject, MMC-6 §6.40): the disc stays on the tray, out of the drive's reach — the
   * drive is NOT READY 02/3A/02 and a MediaRemoval event is posted. A recording run stops; what was
   * written is saved, as a disc taken out mid-burn keeps it. Validation (PREVENT) is the caller's job.
   */
  openTray(): void {
    if (this.tray === 'open') return;
    this.cancelOperation();
    this.writeBuffer = undefined;
    this.tray = 'open';
    const m = this.medium;
    if (m) {
      try {
        m.save();
      } catch (e) {
        this.opts.logger.warn('saving the ejected medium failed', { error: String(e) });
      }
      this.postMediaEvent(MediaEvent.MEDIA_REMOVAL);
    }
    this.opts.logger.info('tray opened', { disc: m ? m.kind : null });
    this.opts.onTrayChange?.();
  }

  /**
   * Closes the tray; a disc on it is loaded again: the becoming-ready window, a NewMedia event, and
   * unit attention 06/28/00 for every nexus but `by`, the one whose START STOP UNIT closed it (it
   * knows; SPC-4 §5.14 spares the nexus that caused a change the same way). Closed by hand
   * (`by` undefined): every nexus gets the unit attention.
   */
  closeTray(by?: string): void {
    if (this.tray === 'closed') return;
    this.tray = 'closed';
    if (this.medium) {
      this.readyAt = this.opts.now() + this.opts.becomingReadyMs;
      this.ua.establish(Sense.NOT_READY_TO_READY_CHANGE_MEDIUM_MAY_HAVE_CHANGED, by !== undefined ? { except: by } : {});
      this.postMediaEvent(MediaEvent.NEW_MEDIA);
    }
    this.opts.logger.info('tray closed', { disc: this.medium ? this.medium.kind : null });
    this.opts.onTrayChange?.();
  }

  /** Takes the disc off the open tray (a hand or a picker): the tray is left open and empty. */
  takeDisc(): void {
    if (this.tray !== 'open') throw new Error('takeDisc: the tray is closed');
    if (!this.medium) return;
    this.removeMedium();
    this.opts.onTrayChange?.();
  }

  private removeMedium(): void {
    const m = this.medium;
    if (!m) return;
    this.cancelOperation();
    this.writeBuffer = undefined;
    this.medium = undefined;
    try {
      m.close();
    } catch (e) {
      this.opts.logger.warn('closing the medium failed', { error: String(e) });
    }
    this.opts.logger.info('medium removed', { kind: m.kind });
  }

  /**
   * The disc's content changed the way a new disc would (CLOSE SESSION, BLANK): the OS must re-read
   * TOC and capacity. Unit attention 06/28/00 for the other nexuses, NewMedia event for all.
   */
  mediumChanged(by: string | undefined): void {
    this.ua.establish(Sense.NOT_READY_TO_READY_CHANGE_MEDIUM_MAY_HAVE_CHANGED, by !== undefined ? { except: by } : {});
    this.postMediaEvent(MediaEvent.NEW_MEDIA);
  }

  // ---- media events (GESN class 4) -----------------------------------------------------------

  postMediaEvent(code: number): void {
    for (const q of this.mediaEvents.values()) {
      if (q.length >= 4) q.shift();
      q.push(code);
    }
  }

  /** Takes the oldest media event for the nexus (NoChg when none). */
  takeMediaEvent(nexusId: string, peek = false): number {
    const q = this.mediaEvents.get(nexusId);
    if (!q || q.length === 0) return MediaEvent.NO_CHANGE;
    return peek ? q[0]! : q.shift()!;
  }

  hasMediaEvent(nexusId: string): boolean {
    return (this.mediaEvents.get(nexusId)?.length ?? 0) > 0;
  }

  // ---- long operations -----------------------------------------------------------------------

  /** Starts BLANK/FORMAT: the drive is not ready until `finish` runs (after `durationMs`, or now). */
  startOperation(kind: 'blank' | 'format', durationMs: number, finish: () => void): void {
    const done = () => {
      this.operation = undefined;
      finish();
    };
    if (durationMs <= 0) {
      done();
      return;
    }
    const timer = setTimeout(done, durationMs);
    timer.unref?.();
    this.operation = { kind, startedAt: this.opts.now(), durationMs, timer };
  }

  cancelOperation(): void {
    if (this.operation?.timer) clearTimeout(this.operation.timer);
    this.operation = undefined;
  }

  // ---- nexus loss and reset ------------------------------------------------------------------

  /** A session ended: release its reservations and registrations, its PREVENT, its queues. */
  nexusLost(nexus: ItNexus): void {
    if (this.reservations.dropNexus(nexus.id)) this.opts.logger.info('reservation released by nexus loss', { nexus: nexus.id });
    this.prevent.delete(nexus.id);
    this.ua.forget(nexus.id);
    this.mediaEvents.delete(nexus.id);
  }

  /**
   * LUN RESET / TARGET WARM RESET (SAM-5 §6.3.1, SPC-4 §5.13.3): SPC-2 reservations are released,
   * persistent reservations are kept, PREVENT is cleared (SBC/MMC: reset allows removal), every nexus
   * gets 06/29/00.
   */
  reset(): void {
    this.writeBuffer = undefined;
    this.reservations.spc2 = undefined;
    this.prevent.clear();
    this.ua.reset();
  }
}
