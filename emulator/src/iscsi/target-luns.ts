/**
 * What SAM-5 asks of a target itself rather than of a logical unit: REPORT LUNS (SPC-4 §6.33) on any
 * LUN, and the answers for a LUN with no logical unit behind it — standard INQUIRY data with
 * PERIPHERAL QUALIFIER 011b / type 1Fh (SPC-4 §6.6.2), REQUEST SENSE returning LOGICAL UNIT NOT
 * SUPPORTED, and CHECK CONDITION LOGICAL UNIT NOT SUPPORTED (05h/25h/00h) for everything else.
 *
 * REPORT LUNS CDB (SPC-4 table "REPORT LUNS command"):
 *   byte 0 A0h; byte 2 SELECT REPORT; bytes 6-9 ALLOCATION LENGTH (at least 16); byte 11 CONTROL
 * Parameter data: bytes 0-3 LUN LIST LENGTH (8 x n), bytes 4-7 reserved, then one 8-byte LUN per entry.
 */
import {
  Opcode, cdbReader, encodeInquiryReply, decodeInquiryCdb, PeripheralQualifier, PeripheralDeviceType, InquiryVersion,
  decodeReportLunsCdb, encodeReportLunsReply, SelectReport,
} from '@openimapi/sdk/scsi';
import { CheckCondition, Sense, ScsiStatus, buildFixedSense } from '@openimapi/sdk/wire';
import type { LunResponse } from '../lun.js';

/** REPORT LUNS parameter data for LUNs 0..count-1, cut to the allocation length. */
export function reportLuns(cdb: Buffer, count: number): LunResponse {
  try {
    const c = decodeReportLunsCdb(cdb);
    // 01h asks for well-known logical units only: there are none here.
    const n = c.selectReport === SelectReport.WELL_KNOWN_ONLY ? 0 : count;
    const data = encodeReportLunsReply({ luns: Array.from({ length: n }, (_, i) => i) });
    return { status: ScsiStatus.GOOD, dataIn: data.subarray(0, Math.min(c.allocationLength, data.length)) };
  } catch (e) {
    if (e instanceof CheckCondition) return { status: ScsiStatus.CHECK_CONDITION, sense: e.toSense() };
    throw e;
  }
}

/** The target's answer to a command addressed to a LUN with no logical unit. */
export function absentLun(cdb: Buffer): LunResponse {
  try {
    switch (cdb[0]) {
      case Opcode.INQUIRY: {
        const c = decodeInquiryCdb(cdb);
        if (c.evpd) throw new CheckCondition(Sense.LOGICAL_UNIT_NOT_SUPPORTED);
        const data = encodeInquiryReply({
          peripheralQualifier: PeripheralQualifier.NOT_SUPPORTED, peripheralDeviceType: PeripheralDeviceType.UNKNOWN, rmb: false,
          version: InquiryVersion.SPC_4, normaca: false, hisup: false, responseDataFormat: 2, sccs: false, acc: false, tpgs: 0,
          threePc: false, protect: false, encserv: false, multip: false, cmdque: false, vendorIdentification: 'OPENIMAP',
          productIdentification: 'NO LUN', productRevisionLevel: '0001', versionDescriptors: [],
        });
        return { status: ScsiStatus.GOOD, dataIn: data.subarray(0, Math.min(c.allocationLength, data.length)) };
      }
      case Opcode.REQUEST_SENSE: {
        const alloc = cdb.length >= 5 ? cdbReader(cdb, 6, 'REQUEST SENSE').u8(4) : 0;
        const sense = buildFixedSense(Sense.LOGICAL_UNIT_NOT_SUPPORTED);
        return { status: ScsiStatus.GOOD, dataIn: sense.subarray(0, Math.min(alloc, sense.length)) };
      }
      default:
        throw new CheckCondition(Sense.LOGICAL_UNIT_NOT_SUPPORTED);
    }
  } catch (e) {
    if (e instanceof CheckCondition) return { status: ScsiStatus.CHECK_CONDITION, sense: e.toSense() };
    throw e;
  }
}
