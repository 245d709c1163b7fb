/**
 * The seam between the iSCSI target (transport) and what answers CDBs behind a LUN (the emulated MMC
 * burner, a read-only ROM drive, ...). A logical unit never sees PDUs; the target never interprets CDBs
 * beyond what SAM requires of a target (REPORT LUNS, INQUIRY of an absent LUN).
 */

/**
 * The I_T nexus: which client (initiator port) sent a command. Reservations, exclusive access and unit
 * attentions are kept per nexus. For iSCSI the initiator port is the initiator name plus the ISID
 * (RFC 7143 §4.2.7.4); `id` is the SCSI initiator port name `iqn...,i,0x<ISID>`.
 */
export interface ItNexus {
  /** `iqn.1994-05.com.example:host,i,0x00023d000001` — unique per session. */
  readonly id: string;
  /** iSCSI InitiatorName (or another transport's initiator identifier). */
  readonly initiatorName: string;
  /** ISID as 12 hex digits, lower case. */
  readonly isid: string;
  /** Target portal group tag the session logged in through. */
  readonly tpgt: number;
  /** Free-form transport description for logs (`iscsi 127.0.0.1:53022`). */
  readonly transport: string;
}

export interface LunCommand {
  readonly nexus: ItNexus;
  readonly cdb: Buffer;
  /** All data-out of the command, already collected by the target (immediate, unsolicited and R2T data). */
  readonly dataOut?: Buffer;
  /** Expected data transfer length for data-in (the initiator's buffer size). */
  readonly expectedDataInLength: number;
  /** Task attribute from the command (SIMPLE 1, ORDERED 2, HEAD OF QUEUE 3, ACA 4; 0 untagged). */
  readonly taskAttribute: number;
  /** Aborted by ABORT TASK, LUN RESET, TARGET WARM RESET or loss of the session: stop and return anything. */
  readonly signal: AbortSignal;
}

export interface LunResponse {
  /** SCSI status (ScsiStatus). */
  readonly status: number;
  /** Sense bytes for CHECK CONDITION. */
  readonly sense?: Buffer;
  /**
   * Data-in. May be longer than `expectedDataInLength`: the target sends only what fits and reports
   * the overflow as a residual, as SAM requires. Shorter is an underflow residual.
   */
  readonly dataIn?: Buffer;
  /**
   * Called once the transport no longer needs `dataIn` (sent, or dropped with the connection), so a
   * logical unit may reuse the buffer. Optional.
   */
  readonly release?: () => void;
  /**
   * Bytes in front of `dataIn`, in its ArrayBuffer, that belong to this response until `release` runs:
   * the transport may write its PDU header there and send header and data in one piece, without a
   * copy (`buffer-pool.ts` leases buffers with `DATA_IN_HEADROOM`). Unset or 0: none.
   */
  readonly dataInHeadroom?: number;
  /**
   * Data-out bytes the command called for (its CDB's transfer length), for commands with data-out. When
   * it differs from the initiator's expected length the target reports the difference as a residual
   * (RFC 7143 §11.4.5.2): overflow when the command wanted more, underflow when less. A logical unit
   * that sets it uses only min(dataOutLength, dataOut.length) bytes. Unset: no residual.
   */
  readonly dataOutLength?: number;
}

export interface LogicalUnit {
  /** Runs one command. May complete asynchronously; may never complete until `signal` aborts. */
  execute(cmd: LunCommand): Promise<LunResponse> | LunResponse;
  /** The nexus's session is gone (logout, dropped connection): release what it held. */
  nexusLost(nexus: ItNexus): void;
  /** LUN RESET or TARGET WARM RESET from `by`: abort tasks is done by the target; the LU resets state. */
  reset(kind: 'lun-reset' | 'target-warm-reset', by: ItNexus): void;
  /** Releases files and timers when the target stops. */
  close?(): Promise<void> | void;
}
