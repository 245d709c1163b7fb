/**
 * Adapter between the drive and the media model: how a disc of a given kind is made (blank) and how a
 * saved disc or an ISO/BIN image is opened. The drive only needs these two verbs; `createDrives` wires
 * them to the media module's factory, and tests may pass their own.
 */
import type { Medium } from '../media/medium.js';

export interface MediaSource {
  /** Media kinds `create` accepts (`cd-r`, `dvd+rw`, ...). */
  kinds(): readonly string[];
  /** A new blank (or, for ROM kinds, empty pressed) disc of `kind`, kept under `dataDir` when given. */
  create(kind: string): Medium;
  /** A saved disc (its JSON state) or an ISO/BIN image opened as a closed ROM disc. */
  open(file: string): Medium;
}

/** A source that has no media at all (every load fails with a TypeError naming the kind). */
export const noMediaSource: MediaSource = {
  kinds: () => [],
  create(kind: string): Medium {
    throw new TypeError(`media: no media source is configured, cannot create "${kind}"`);
  },
  open(file: string): Medium {
    throw new TypeError(`media: no media source is configured, cannot open "${file}"`);
  },
};
