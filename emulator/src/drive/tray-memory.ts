/**
 * What a drive held when the emulator stopped, so that it starts the same way (a real drive keeps its
 * disc across a power cycle): `drive<n>/tray.json` in the data directory, rewritten atomically on every
 * load, eject and tray close —
 *   {"version": 1, "tray": "closed", "disc": {"file": "/data/drive0/cd-r-….img"}}   a disc made or loaded from a file
 *   {"version": 1, "tray": "open", "disc": {"file": …}}                           that disc on the open tray (ejected)
 *   {"version": 1, "tray": "closed", "disc": {"media": "cd-rom"}}                 a disc without files (pressed)
 *   {"version": 1, "tray": "open" | "closed", "disc": null}                       no disc
 * The disc itself is in its own files (image + JSON, media/state.ts); this only says which one.
 */
import * as fs from 'node:fs';
import { writeJsonAtomic } from '../media/state.js';
import type { MmcDrive } from './mmc-drive.js';

interface TrayJson {
  version: 1;
  tray: 'open' | 'closed';
  disc: { file: string } | { media: string } | null;
}

export class TrayMemory {
  constructor(
    readonly file: string,
    private readonly drive: MmcDrive,
  ) {
    drive.on('tray', () => this.record());
  }

  /** Writes what the drive holds now. A failure is logged, never thrown: the drive goes on. */
  record(): void {
    const d = this.drive;
    const json: TrayJson = { version: 1, tray: d.state.tray, disc: d.state.medium ? (d.loadedFrom ?? null) : null };
    try {
      writeJsonAtomic(this.file, json);
    } catch (e) {
      d.logger.warn('could not record the tray', { file: this.file, error: String(e) });
    }
  }

  /** Puts the drive back as recorded; false when there is no usable record (the caller loads a default). */
  restore(): boolean {
    let j: Partial<TrayJson>;
    try {
      j = JSON.parse(fs.readFileSync(this.file, 'utf8')) as Partial<TrayJson>;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.drive.logger.warn('tray record unreadable; starting with the default disc', { file: this.file, error: String(e) });
      return false;
    }
    const d = this.drive;
    if (j.version !== 1 || (j.tray !== 'open' && j.tray !== 'closed')) return false;
    try {
      if (j.disc && 'file' in j.disc && typeof j.disc.file === 'string') d.load({ file: j.disc.file });
      else if (j.disc && 'media' in j.disc && typeof j.disc.media === 'string') d.load({ media: j.disc.media });
      if (j.tray === 'open') d.state.openTray();
      d.logger.info('drive restored', { tray: j.tray, disc: j.disc ?? null });
      return true;
    } catch (e) {
      d.logger.warn('the recorded disc cannot be loaded; starting with the default disc', { file: this.file, error: String(e) });
      return false;
    }
  }
}
