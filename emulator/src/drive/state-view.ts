/**
 * The drive's state as plain JSON, for the control plane's `GET /state` and `drive.state()`.
 */
import { describeSense, type SenseCondition } from '@openimapi/sdk';
import type { MmcDrive } from './mmc-drive.js';
import type { DriveCapabilities } from './capabilities.js';

export interface DriveStateView {
  index: number;
  identity: { vendor: string; product: string; revision: string; serial: string };
  tray: 'open' | 'closed';
  ready: boolean;
  notReady: string | null;
  medium: null | {
    kind: string;
    profile: number;
    state: string;
    imagePath: string | null;
    freeBlocks: number | null;
    nextWritableAddress: number | null;
    sessions: unknown[];
    tracks: unknown[];
  };
  operation: null | { kind: string; progress: number };
  preventedBy: string[];
  reservations: ReturnType<MmcDrive['state']['reservations']['describe']>;
  faults: ReturnType<MmcDrive['faults']['describe']>;
  unitAttentions: Record<string, string[]>;
  speeds: { read: number | null; write: number | null };
  writeParameters: { writeType: number; dataBlockType: number; trackMode: number; multiSession: number; testWrite: boolean; bufe: boolean };
  capabilities: DriveCapabilities;
}

export function describeState(d: MmcDrive): DriveStateView {
  const s = d.state;
  const nr = s.notReadyCondition();
  const m = s.medium;
  let medium: DriveStateView['medium'] = null;
  if (m) {
    const safe = <T>(f: () => T, fallback: T): T => {
      try {
        return f();
      } catch {
        return fallback;
      }
    };
    medium = {
      kind: m.kind,
      profile: m.profile,
      state: m.state,
      imagePath: m.imagePath ?? null,
      freeBlocks: safe(() => m.freeBlocks(), null),
      nextWritableAddress: safe(() => m.nextWritableAddress() ?? null, null),
      sessions: safe(() => [...m.sessions()], []),
      tracks: safe(() => [...m.tracks()], []),
    };
  }
  const ua: Record<string, string[]> = {};
  for (const [id, q] of Object.entries(s.ua.snapshot())) ua[id] = q.map((c: SenseCondition) => describeSense(c));
  const wp = d.modes.writeParameters;
  return {
    index: d.index,
    identity: { vendor: d.config.vendor, product: d.config.product, revision: d.config.revision, serial: d.config.serial },
    tray: s.tray,
    ready: nr === undefined,
    notReady: nr ? describeSense(nr.cond) : null,
    medium,
    operation: s.operation ? { kind: s.operation.kind, progress: nr?.progress ?? 0 } : null,
    preventedBy: [...s.prevent],
    reservations: s.reservations.describe(),
    faults: d.faults.describe(),
    unitAttentions: ua,
    speeds: { read: s.readSpeed ?? null, write: s.writeSpeed ?? null },
    writeParameters: {
      writeType: wp.writeType,
      dataBlockType: wp.dataBlockType,
      trackMode: wp.trackMode,
      multiSession: wp.multiSession,
      testWrite: wp.testWrite,
      bufe: wp.bufe,
    },
    capabilities: d.capabilities,
  };
}
