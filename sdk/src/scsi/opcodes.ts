/**
 * SCSI operation codes used by MMC drives (SPC-4, MMC-6 Table 12), in numeric order — keep them so.
 */
export const Opcode = {
  TEST_UNIT_READY: 0x00,
  REQUEST_SENSE: 0x03,
  FORMAT_UNIT: 0x04,
  INQUIRY: 0x12,
  MODE_SELECT_6: 0x15,
  RESERVE_6: 0x16,
  RELEASE_6: 0x17,
  MODE_SENSE_6: 0x1a,
  START_STOP_UNIT: 0x1b,
  PREVENT_ALLOW_MEDIUM_REMOVAL: 0x1e,
  READ_FORMAT_CAPACITIES: 0x23,
  READ_CAPACITY_10: 0x25,
  READ_10: 0x28,
  WRITE_10: 0x2a,
  SEEK_10: 0x2b,
  WRITE_AND_VERIFY_10: 0x2e,
  VERIFY_10: 0x2f,
  SYNCHRONIZE_CACHE_10: 0x35,
  WRITE_BUFFER: 0x3b,
  READ_BUFFER: 0x3c,
  READ_SUBCHANNEL: 0x42,
  READ_TOC_PMA_ATIP: 0x43,
  PLAY_AUDIO_10: 0x45,
  GET_CONFIGURATION: 0x46,
  PLAY_AUDIO_MSF: 0x47,
  GET_EVENT_STATUS_NOTIFICATION: 0x4a,
  PAUSE_RESUME: 0x4b,
  READ_DISC_INFORMATION: 0x51,
  READ_TRACK_INFORMATION: 0x52,
  RESERVE_TRACK: 0x53,
  SEND_OPC_INFORMATION: 0x54,
  MODE_SELECT_10: 0x55,
  REPAIR_TRACK: 0x58,
  MODE_SENSE_10: 0x5a,
  CLOSE_TRACK_SESSION: 0x5b,
  READ_BUFFER_CAPACITY: 0x5c,
  SEND_CUE_SHEET: 0x5d,
  PERSISTENT_RESERVE_IN: 0x5e,
  PERSISTENT_RESERVE_OUT: 0x5f,
  REPORT_LUNS: 0xa0,
  BLANK: 0xa1,
  SECURITY_PROTOCOL_IN: 0xa2,
  SEND_KEY: 0xa3,
  REPORT_KEY: 0xa4,
  PLAY_AUDIO_12: 0xa5,
  LOAD_UNLOAD_MEDIUM: 0xa6,
  SET_READ_AHEAD: 0xa7,
  READ_12: 0xa8,
  WRITE_12: 0xaa,
  READ_MEDIA_SERIAL_NUMBER: 0xab,
  GET_PERFORMANCE: 0xac,
  READ_DISC_STRUCTURE: 0xad,
  SECURITY_PROTOCOL_OUT: 0xb5,
  SET_STREAMING: 0xb6,
  READ_CD_MSF: 0xb9,
  SCAN: 0xba,
  SET_CD_SPEED: 0xbb,
  MECHANISM_STATUS: 0xbd,
  READ_CD: 0xbe,
  SEND_DISC_STRUCTURE: 0xbf,
} as const;

export type OpcodeName = keyof typeof Opcode;

const names = new Map<number, OpcodeName>(Object.entries(Opcode).map(([k, v]) => [v, k as OpcodeName]));

/** The command's name for logs (`READ_TOC_PMA_ATIP`), or `OPCODE_xx` for one not in the table. */
export function opcodeName(op: number): string {
  return names.get(op) ?? `OPCODE_${op.toString(16).toUpperCase().padStart(2, '0')}`;
}
