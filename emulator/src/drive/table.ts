/**
 * The opcode table: 256 entries, one per operation code, rows of 8 (in the manner of tgt's
 * usr/mmc.c). `undefined` = not supported → 05/20/00 INVALID COMMAND OPERATION CODE. MODE SENSE(6)
 * and MODE SELECT(6) are absent on purpose: MMC drives implement only the 10-byte forms (MMC-6 §6).
 * REPORT LUNS (A0h) is answered by the target for the whole device (lun.ts), not here.
 */
import type { Handler } from './types.js';
import { inquiry, preventAllowMediumRemoval, requestSense, startStopUnit, testUnitReady } from './spc.js';
import { persistentReserveIn, persistentReserveOut, release6, reserve6 } from './reserve.js';
import { modeSelect10, modeSense10 } from './mode.js';
import { getConfiguration } from './config.js';
import { getEventStatusNotification } from './events.js';
import { readCapacity, readDiscInformation, readTocPmaAtip, readTrackInformation } from './disc.js';
import { read10, read12 } from './read.js';
import { blank, closeTrackSession, readBufferCapacity, reserveTrack, synchronizeCache, write10, write12 } from './write.js';
import { getPerformance, setCdSpeed, setStreaming } from './speed.js';
import { readCd } from './read-cd.js';
import { sendCueSheet } from './cue-sheet.js';
import { readDiscStructure } from './disc-structure.js';
import { formatUnit, readFormatCapacities, sendOpcInformation } from './format.js';

const _ = undefined;

// prettier-ignore
export const opcodeTable: readonly (Handler | undefined)[] = Object.freeze([
  /* 0x00 */ testUnitReady, _, _, requestSense, formatUnit, _, _, _,
  /* 0x08 */ _, _, _, _, _, _, _, _,
  /* 0x10 */ _, _, inquiry, _, _, _, reserve6, release6,
  /* 0x18 */ _, _, _, startStopUnit, _, _, preventAllowMediumRemoval, _,
  /* 0x20 */ _, _, _, readFormatCapacities, _, readCapacity, _, _,
  /* 0x28 */ read10, _, write10, _, _, _, _, _,
  /* 0x30 */ _, _, _, _, _, synchronizeCache, _, _,
  /* 0x38 */ _, _, _, _, _, _, _, _,
  /* 0x40 */ _, _, _, readTocPmaAtip, _, _, getConfiguration, _,
  /* 0x48 */ _, _, getEventStatusNotification, _, _, _, _, _,
  /* 0x50 */ _, readDiscInformation, readTrackInformation, reserveTrack, sendOpcInformation, modeSelect10, _, _,
  /* 0x58 */ _, _, modeSense10, closeTrackSession, readBufferCapacity, sendCueSheet, persistentReserveIn, persistentReserveOut,
  /* 0x60 */ _, _, _, _, _, _, _, _,
  /* 0x68 */ _, _, _, _, _, _, _, _,
  /* 0x70 */ _, _, _, _, _, _, _, _,
  /* 0x78 */ _, _, _, _, _, _, _, _,
  /* 0x80 */ _, _, _, _, _, _, _, _,
  /* 0x88 */ _, _, _, _, _, _, _, _,
  /* 0x90 */ _, _, _, _, _, _, _, _,
  /* 0x98 */ _, _, _, _, _, _, _, _,
  /* 0xA0 */ _, blank, _, _, _, _, _, _,
  /* 0xA8 */ read12, _, write12, _, getPerformance, readDiscStructure, _, _,
  /* 0xB0 */ _, _, _, _, _, _, setStreaming, _,
  /* 0xB8 */ _, _, _, setCdSpeed, _, _, readCd, _,
  /* 0xC0 */ _, _, _, _, _, _, _, _,
  /* 0xC8 */ _, _, _, _, _, _, _, _,
  /* 0xD0 */ _, _, _, _, _, _, _, _,
  /* 0xD8 */ _, _, _, _, _, _, _, _,
  /* 0xE0 */ _, _, _, _, _, _, _, _,
  /* 0xE8 */ _, _, _, _, _, _, _, _,
  /* 0xF0 */ _, _, _, _, _, _, _, _,
  /* 0xF8 */ _, _, _, _, _, _, _, _,
]);

if (opcodeTable.length !== 256) throw new Error(`opcode table has ${opcodeTable.length} entries, not 256`);
