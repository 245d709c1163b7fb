import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodePersistentReserveInCdb,
  decodePrReadFullStatusReply,
  decodePrReadKeysReply,
  decodePrReadReservationReply,
  decodePrReportCapabilitiesReply,
  encodePersistentReserveInCdb,
  encodePrReadFullStatusReply,
  encodePrReadKeysReply,
  encodePrReadReservationReply,
  encodePrReportCapabilitiesReply,
  PrInServiceAction,
  type PrReadFullStatusData,
} from './persistent-reserve-in.js';
import {
  decodePersistentReserveOutCdb,
  decodePersistentReserveOutParameters,
  encodePersistentReserveOutCdb,
  encodePersistentReserveOutParameters,
  PrOutServiceAction,
} from './persistent-reserve-out.js';
import { PrType } from './persistent-reserve.js';
import { encodeTransportId } from './transport-id.js';
import { assertCheckCondition, assertInvalidCdbField, assertInvalidReply, hexBytes } from './command-asserts.test.helpers.js';

const IQN = 'iqn.1994-05.com.redhat:client'; // 29 characters

// SPC-4 table "PERSISTENT RESERVE IN command": service action byte 1, allocation length bytes 7-8.
test('PERSISTENT RESERVE IN CDB bytes, round trip, errors', () => {
  assert.deepEqual(encodePersistentReserveInCdb({ serviceAction: PrInServiceAction.READ_KEYS, allocationLength: 8 }), hexBytes('5e 00 00 00 00 00 00 00 08 00'));
  assert.deepEqual(encodePersistentReserveInCdb({ serviceAction: PrInServiceAction.READ_FULL_STATUS, allocationLength: 0x2000 }), hexBytes('5e 03 00 00 00 00 00 20 00 00'));
  const p = { serviceAction: 2, allocationLength: 8, control: 4 };
  assert.deepEqual(decodePersistentReserveInCdb(encodePersistentReserveInCdb(p)), p);
  assertInvalidCdbField(() => decodePersistentReserveInCdb(hexBytes('5e 04 00 00 00 00 00 00 08 00')), 1, 4);
  assertInvalidCdbField(() => decodePersistentReserveInCdb(hexBytes('5e 20 00 00 00 00 00 00 08 00')), 1, 5);
  assertInvalidCdbField(() => decodePersistentReserveInCdb(hexBytes('5e 00 00 00 00 01 00 00 08 00')), 5, 0);
});

test('READ KEYS reply: bytes, round trip, truncation, malformed', () => {
  const d = { prGeneration: 3, keys: [0x1122334455667788n, 0xffffffffffffffffn] };
  const b = encodePrReadKeysReply(d);
  assert.deepEqual(b, hexBytes('00 00 00 03 00 00 00 10 11 22 33 44 55 66 77 88 ff ff ff ff ff ff ff ff'));
  assert.deepEqual(decodePrReadKeysReply(b), { ...d, truncated: false, fullLength: 24 });
  // allocation length 8 (the header only) is how initiators learn the length
  assert.deepEqual(decodePrReadKeysReply(b.subarray(0, 8)), { prGeneration: 3, keys: [], truncated: true, fullLength: 24 });
  assert.deepEqual(decodePrReadKeysReply(b.subarray(0, 20)), { prGeneration: 3, keys: [0x1122334455667788n], truncated: true, fullLength: 24 });
  assertInvalidReply(() => decodePrReadKeysReply(hexBytes('00 00 00 03 00 00 00 0c 00 00 00 00 00 00 00 00 00 00 00 00')));
});

test('READ RESERVATION reply: bytes, round trip, truncation, malformed', () => {
  const d = { prGeneration: 7, reservation: { key: 0xabcdn, scope: 0, type: PrType.EXCLUSIVE_ACCESS } };
  const b = encodePrReadReservationReply(d);
  assert.deepEqual(b, hexBytes('00 00 00 07 00 00 00 10  00 00 00 00 00 00 ab cd  00 00 00 00 00 03 00 00'));
  assert.deepEqual(decodePrReadReservationReply(b), { ...d, truncated: false, fullLength: 24 });
  assert.deepEqual(decodePrReadReservationReply(encodePrReadReservationReply({ prGeneration: 1 })), { prGeneration: 1, truncated: false, fullLength: 8 });
  const cut = decodePrReadReservationReply(b.subarray(0, 16));
  assert.equal(cut.truncated, true);
  assert.equal(cut.reservation?.key, 0xabcdn);
  assertInvalidReply(() => decodePrReadReservationReply(hexBytes('00 00 00 07 00 00 00 08 00 00 00 00 00 00 00 00')));
});

test('REPORT CAPABILITIES reply: bytes, round trip, truncation, malformed', () => {
  const c = {
    rlrC: false,
    crh: true,
    sipC: true,
    atpC: false,
    ptplC: true,
    tmv: true,
    allowCommands: 0,
    ptplA: false,
    types: [PrType.WRITE_EXCLUSIVE, PrType.EXCLUSIVE_ACCESS, PrType.WRITE_EXCLUSIVE_REGISTRANTS_ONLY, PrType.EXCLUSIVE_ACCESS_REGISTRANTS_ONLY, PrType.WRITE_EXCLUSIVE_ALL_REGISTRANTS, PrType.EXCLUSIVE_ACCESS_ALL_REGISTRANTS],
  };
  const b = encodePrReportCapabilitiesReply(c);
  // LENGTH 8; CRH|SIP_C|PTPL_C = 19h; TMV = 80h; type mask EAh 01h
  assert.deepEqual(b, hexBytes('00 08 19 80 ea 01 00 00'));
  assert.deepEqual(decodePrReportCapabilitiesReply(b), { ...c, truncated: false, fullLength: 8 });
  const cut = decodePrReportCapabilitiesReply(b.subarray(0, 4));
  assert.equal(cut.truncated, true);
  assert.deepEqual(cut.types, []);
  assertInvalidReply(() => decodePrReportCapabilitiesReply(hexBytes('00 04 19 80')));
});

// SPC-4 r37 §7.6.4.6 tables 507/508: iSCSI TransportID, protocol 5, additional length ≥ 20, ×4.
test('iSCSI TransportIDs: device (00b) and port (01b) formats', () => {
  const dev = encodeTransportId({ protocol: 'iscsi', name: IQN });
  // 29 characters + NUL = 30, padded to 32
  assert.deepEqual(dev.subarray(0, 4), hexBytes('05 00 00 20'));
  assert.equal(dev.length, 36);
  assert.equal(dev.subarray(4, 33).toString(), IQN);
  assert.deepEqual(dev.subarray(33), hexBytes('00 00 00'));
  const port = encodeTransportId({ protocol: 'iscsi', name: IQN, isid: '23D000000001' });
  // name + ",i,0x" + 12 hex digits + NUL = 47, padded to 48; format code 01b → byte 0 = 45h
  assert.deepEqual(port.subarray(0, 4), hexBytes('45 00 00 30'));
  assert.equal(port.subarray(4, 50).toString(), `${IQN},i,0x23d000000001`);
  // a short name still gets the minimum additional length of 20
  assert.deepEqual(encodeTransportId({ protocol: 'iscsi', name: 'iqn.a' }).subarray(0, 4), hexBytes('05 00 00 14'));
});

const fullStatus: PrReadFullStatusData = {
  prGeneration: 9,
  descriptors: [
    { key: 0x10n, allTgPt: false, reservationHolder: true, scope: 0, type: PrType.WRITE_EXCLUSIVE, relativeTargetPortIdentifier: 1, transportId: { protocol: 'iscsi', name: IQN, isid: '23d000000001' } },
    { key: 0x20n, allTgPt: true, reservationHolder: false, scope: 0, type: 0, relativeTargetPortIdentifier: 2, transportId: { protocol: 'iscsi', name: 'iqn.2024-01.org.example:other' } },
  ],
};

test('READ FULL STATUS reply: bytes, round trip', () => {
  const b = encodePrReadFullStatusReply(fullStatus);
  // header; descriptor 1: key, R_HOLDER, type 1, port 1, ADDITIONAL DESCRIPTOR LENGTH 52 (the port TransportID)
  assert.deepEqual(b.subarray(0, 8), hexBytes(`00 00 00 09 00 00 00 ${(24 + 52 + 24 + 36).toString(16)}`));
  assert.deepEqual(b.subarray(8, 32), hexBytes('00 00 00 00 00 00 00 10  00 00 00 00  01 01  00 00 00 00  00 01  00 00 00 34'));
  assert.deepEqual(b.subarray(32, 36), hexBytes('45 00 00 30'));
  assert.deepEqual(decodePrReadFullStatusReply(b), { ...fullStatus, truncated: false, fullLength: b.length });
  // a non-iSCSI (SAS, protocol 6) TransportID passes through as its 24 bytes
  const sas = { protocol: 'other' as const, protocolIdentifier: 6, formatCode: 0, bytes: hexBytes('06 00 00 00 50 01 40 5a bc de f0 12' + ' 00'.repeat(12)) };
  const one = { prGeneration: 0, descriptors: [{ ...fullStatus.descriptors[1]!, transportId: sas }] };
  assert.deepEqual(decodePrReadFullStatusReply(encodePrReadFullStatusReply(one)), { ...one, truncated: false, fullLength: 56 });
});

test('READ FULL STATUS reply: truncation keeps whole descriptors', () => {
  const b = encodePrReadFullStatusReply(fullStatus);
  const cut = decodePrReadFullStatusReply(b.subarray(0, 90));
  assert.equal(cut.truncated, true);
  assert.equal(cut.fullLength, b.length);
  assert.equal(cut.descriptors.length, 1);
  assert.deepEqual(decodePrReadFullStatusReply(b.subarray(0, 8)), { prGeneration: 9, descriptors: [], truncated: true, fullLength: b.length });
});

test('READ FULL STATUS reply: contradictions are invalid responses', () => {
  const b = encodePrReadFullStatusReply({ prGeneration: 1, descriptors: [fullStatus.descriptors[0]!] });
  // ADDITIONAL DESCRIPTOR LENGTH larger than the data
  const long = Buffer.from(b);
  long.writeUInt32BE(200, 8 + 20);
  assertInvalidReply(() => decodePrReadFullStatusReply(long));
  // iSCSI TransportID ADDITIONAL LENGTH not a multiple of 4
  const odd = Buffer.from(b);
  odd.writeUInt16BE(0x2f, 8 + 24 + 2);
  assertInvalidReply(() => decodePrReadFullStatusReply(odd));
  // port format without the ",i,0x" separator
  const nosep = Buffer.from(b);
  nosep.write(';', 8 + 24 + 4 + IQN.length, 'latin1');
  assertInvalidReply(() => decodePrReadFullStatusReply(nosep));
  // ADDITIONAL LENGTH leaves 10 bytes: less than a descriptor
  assertInvalidReply(() => decodePrReadFullStatusReply(hexBytes('00 00 00 01 00 00 00 0a' + ' 00'.repeat(10))));
});

// SPC-4 table "PERSISTENT RESERVE OUT command": service action byte 1, scope|type byte 2,
// parameter list length bytes 5-8.
test('PERSISTENT RESERVE OUT CDB bytes, round trip, errors', () => {
  assert.deepEqual(
    encodePersistentReserveOutCdb({ serviceAction: PrOutServiceAction.RESERVE, scope: 0, type: PrType.EXCLUSIVE_ACCESS, parameterListLength: 24 }),
    hexBytes('5f 01 03 00 00 00 00 00 18 00'),
  );
  assert.deepEqual(
    encodePersistentReserveOutCdb({ serviceAction: PrOutServiceAction.REGISTER_AND_IGNORE_EXISTING_KEY, scope: 0, type: 0, parameterListLength: 24 }),
    hexBytes('5f 06 00 00 00 00 00 00 18 00'),
  );
  for (const p of [
    { serviceAction: 0, scope: 0, type: 0, parameterListLength: 24 },
    { serviceAction: 5, scope: 0, type: PrType.EXCLUSIVE_ACCESS_ALL_REGISTRANTS, parameterListLength: 24, control: 4 },
  ]) {
    assert.deepEqual(decodePersistentReserveOutCdb(encodePersistentReserveOutCdb(p)), p);
  }
  assertInvalidCdbField(() => decodePersistentReserveOutCdb(hexBytes('5f 07 00 00 00 00 00 00 18 00')), 1, 4); // REGISTER AND MOVE
  assertInvalidCdbField(() => decodePersistentReserveOutCdb(hexBytes('5f 01 02 00 00 00 00 00 18 00')), 2, 3); // type 2
  assertInvalidCdbField(() => decodePersistentReserveOutCdb(hexBytes('5f 01 13 00 00 00 00 00 18 00')), 2, 7); // scope 1
  assertInvalidCdbField(() => decodePersistentReserveOutCdb(hexBytes('5f 00 00 01 00 00 00 00 18 00')), 3, 0);
  // REGISTER ignores SCOPE/TYPE
  assert.equal(decodePersistentReserveOutCdb(hexBytes('5f 00 02 00 00 00 00 00 18 00')).type, 2);
});

test('PERSISTENT RESERVE OUT parameter list: bytes and round trip', () => {
  const p = { reservationKey: 0n, serviceActionReservationKey: 0x0102030405060708n, allTgPt: false, aptpl: true };
  const b = encodePersistentReserveOutParameters(p);
  assert.deepEqual(b, hexBytes('00 00 00 00 00 00 00 00  01 02 03 04 05 06 07 08  00 00 00 00  01 00 00 00'));
  assert.deepEqual(decodePersistentReserveOutParameters(b, PrOutServiceAction.REGISTER), p);
  const spec = { ...p, allTgPt: true, transportIds: [{ protocol: 'iscsi' as const, name: IQN }, { protocol: 'iscsi' as const, name: IQN, isid: '400001370000' }] };
  const sb = encodePersistentReserveOutParameters(spec);
  assert.equal(sb[20], 0x0d); // SPEC_I_PT | ALL_TG_PT | APTPL
  assert.equal(sb.readUInt32BE(24), 36 + 52);
  assert.deepEqual(decodePersistentReserveOutParameters(sb, PrOutServiceAction.REGISTER), spec);
});

test('PERSISTENT RESERVE OUT parameter list errors', () => {
  const b = encodePersistentReserveOutParameters({ reservationKey: 1n, serviceActionReservationKey: 0n, allTgPt: false, aptpl: false });
  // 23 bytes, and 32 bytes without SPEC_I_PT: PARAMETER LIST LENGTH ERROR (05/1A/00)
  assertCheckCondition(() => decodePersistentReserveOutParameters(b.subarray(0, 23), 0), 5, 0x1a, 0);
  assertCheckCondition(() => decodePersistentReserveOutParameters(Buffer.concat([b, Buffer.alloc(8)]), 0), 5, 0x1a, 0);
  // reserved bit 1 of byte 20: INVALID FIELD IN PARAMETER LIST (05/26/00) at byte 20 bit 1
  const bad = Buffer.from(b);
  bad[20] = 0x02;
  const e = assertCheckCondition(() => decodePersistentReserveOutParameters(bad, 0), 5, 0x26, 0);
  assert.deepEqual(e.fieldPointer, { cd: false, byte: 20, bit: 1 });
  // SPEC_I_PT with RESERVE
  const spec = encodePersistentReserveOutParameters({ reservationKey: 1n, serviceActionReservationKey: 2n, allTgPt: false, aptpl: false, transportIds: [{ protocol: 'iscsi', name: IQN }] });
  assertCheckCondition(() => decodePersistentReserveOutParameters(spec, PrOutServiceAction.RESERVE), 5, 0x26, 0);
  // TRANSPORTID PARAMETER DATA LENGTH that does not match the list
  const mism = Buffer.from(spec);
  mism.writeUInt32BE(40, 24);
  assertCheckCondition(() => decodePersistentReserveOutParameters(mism, 0), 5, 0x1a, 0);
  // a TransportID with a reserved format code
  const fmt = Buffer.from(spec);
  fmt[28] = 0x85;
  assertCheckCondition(() => decodePersistentReserveOutParameters(fmt, 0), 5, 0x26, 0);
});
