import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CodeSet,
  decodeDeviceIdentificationReply,
  decodeSupportedVpdPagesReply,
  decodeUnitSerialNumberReply,
  designatorText,
  DesignatorAssociation,
  DesignatorType,
  encodeDeviceIdentificationReply,
  encodeSupportedVpdPagesReply,
  encodeUnitSerialNumberReply,
  eui64Designator,
  iscsiTargetNameDesignator,
  iscsiTargetPortDesignator,
  naaDesignator,
  relativeTargetPortDesignator,
  t10VendorIdDesignator,
  type DeviceIdentification,
} from './inquiry-vpd.js';
import { assertInvalidReply, hexBytes } from './command-asserts.test.helpers.js';

const cd = { peripheralQualifier: 0, peripheralDeviceType: 5 };

// SPC-4 §7.8 "Supported VPD pages": header (PDT, page 00h, page length) then ascending codes.
test('VPD 00h: expected bytes and round trip', () => {
  const p = { ...cd, supportedPages: [0x00, 0x80, 0x83] };
  const b = encodeSupportedVpdPagesReply(p);
  assert.deepEqual(b, hexBytes('05 00 00 03 00 80 83'));
  assert.deepEqual(decodeSupportedVpdPagesReply(b), { ...p, truncated: false, fullLength: 7 });
  assert.throws(() => encodeSupportedVpdPagesReply({ ...cd, supportedPages: [0x80, 0x00] }), TypeError);
});

test('VPD 00h: cut short is truncated; disorder or another page code is invalid', () => {
  const cut = decodeSupportedVpdPagesReply(hexBytes('05 00 00 03 00 80'));
  assert.deepEqual(cut, { ...cd, supportedPages: [0x00, 0x80], truncated: true, fullLength: 7 });
  const header = decodeSupportedVpdPagesReply(hexBytes('05 00'));
  assert.equal(header.truncated, true);
  assert.equal(header.fullLength, 4);
  assertInvalidReply(() => decodeSupportedVpdPagesReply(hexBytes('05 00 00 03 00 83 80')));
  assertInvalidReply(() => decodeSupportedVpdPagesReply(hexBytes('05 80 00 03 00 80 83')));
});

// SPC-4 §7.8 "Unit serial number": page 80h, PRODUCT SERIAL NUMBER in ASCII.
test('VPD 80h: expected bytes and round trip', () => {
  const p = { ...cd, productSerialNumber: 'K2J81G4344' };
  const b = encodeUnitSerialNumberReply(p);
  assert.deepEqual(b, hexBytes('05 80 00 0a 4b 32 4a 38 31 47 34 33 34 34'));
  assert.deepEqual(decodeUnitSerialNumberReply(b), { ...p, truncated: false, fullLength: 14 });
  // right-aligned with leading spaces, as SPC-4 lays it out, decodes to the bare number
  assert.equal(decodeUnitSerialNumberReply(hexBytes('05 80 00 06 20 20 41 42 43 44')).productSerialNumber, 'ABCD');
});

test('VPD 80h: truncated and malformed', () => {
  const cut = decodeUnitSerialNumberReply(hexBytes('05 80 00 0a 4b 32 4a'));
  assert.deepEqual(cut, { ...cd, productSerialNumber: 'K2J', truncated: true, fullLength: 14 });
  assertInvalidReply(() => decodeUnitSerialNumberReply(hexBytes('05 80 00 02 41 07')));
  assertInvalidReply(() => decodeUnitSerialNumberReply(hexBytes('05 83 00 02 41 42')));
  assert.throws(() => encodeUnitSerialNumberReply({ ...cd, productSerialNumber: 'é' }), TypeError);
});

const naa6 = hexBytes('60 01 40 5a bc de f0 12 34 56 78 9a bc de f0 12');
const iqn = 'iqn.2024-01.org.example:burner'; // 30 characters

// SPC-4 §7.8.6 table "Designation descriptor": byte 0 protocol|code set, byte 1 PIV|assoc|type,
// byte 3 designator length, then the designator.
test('VPD 83h: expected bytes for T10 vendor ID, NAA 6 and an iSCSI target name', () => {
  const p: DeviceIdentification = {
    ...cd,
    designators: [t10VendorIdDesignator('OPENIMAP', 'SN0001'), naaDesignator(naa6), iscsiTargetNameDesignator(iqn)],
  };
  const b = encodeDeviceIdentificationReply(p);
  // header: PDT 05h, page 83h, page length (4+14) + (4+16) + (4+32) = 74 = 4Ah
  assert.deepEqual(b.subarray(0, 4), hexBytes('05 83 00 4a'));
  // T10 vendor ID: code set 2 (ASCII), association 0, type 1, length 14
  assert.deepEqual(b.subarray(4, 8), hexBytes('02 01 00 0e'));
  assert.equal(b.subarray(8, 22).toString('latin1'), 'OPENIMAPSN0001');
  // NAA: code set 1 (binary), type 3, length 16
  assert.deepEqual(b.subarray(22, 26), hexBytes('01 03 00 10'));
  assert.deepEqual(b.subarray(26, 42), naa6);
  // SCSI name string: protocol 5 (iSCSI) | code set 3 (UTF-8); PIV | association 2 (target device) | type 8;
  // 30 characters + NUL padded to 32
  assert.deepEqual(b.subarray(42, 46), hexBytes('53 a8 00 20'));
  assert.equal(b.subarray(46, 76).toString('latin1'), iqn);
  assert.deepEqual(b.subarray(76, 78), hexBytes('00 00'));
  assert.equal(b.length, 78);
  assert.deepEqual(decodeDeviceIdentificationReply(b), { ...p, truncated: false, fullLength: 78 });
});

test('VPD 83h: round trip of every helper, and designatorText', () => {
  const port = iscsiTargetPortDesignator(iqn, 1);
  assert.equal(designatorText(port), `${iqn},t,0x0001`);
  assert.equal(port.association, DesignatorAssociation.TARGET_PORT);
  const p: DeviceIdentification = {
    peripheralQualifier: 0,
    peripheralDeviceType: 5,
    designators: [
      eui64Designator(hexBytes('00 11 22 33 44 55 66 77')),
      naaDesignator(hexBytes('50 01 40 5a bc de f0 12')),
      relativeTargetPortDesignator(1),
      port,
      { protocolIdentifier: 0, codeSet: CodeSet.BINARY, piv: false, association: 0, designatorType: DesignatorType.VENDOR_SPECIFIC, designator: hexBytes('de ad') },
    ],
  };
  const d = decodeDeviceIdentificationReply(encodeDeviceIdentificationReply(p));
  assert.deepEqual(d, { ...p, truncated: false, fullLength: encodeDeviceIdentificationReply(p).length });
  assert.deepEqual(d.designators[2]!.designator, hexBytes('00 00 00 01'));
  assert.equal(designatorText(d.designators[0]!), undefined);
  assert.throws(() => naaDesignator(hexBytes('60 01 02 03 04 05 06 07')), TypeError); // NAA 6 needs 16 bytes
});

test('VPD 83h: a page cut by the allocation length keeps only whole descriptors', () => {
  const b = encodeDeviceIdentificationReply({ ...cd, designators: [t10VendorIdDesignator('OPENIMAP', 'SN0001'), naaDesignator(naa6)] });
  const d = decodeDeviceIdentificationReply(b.subarray(0, 30));
  assert.equal(d.truncated, true);
  assert.equal(d.fullLength, b.length);
  assert.equal(d.designators.length, 1);
  assert.equal(designatorText(d.designators[0]!), 'OPENIMAPSN0001');
});

test('VPD 83h: descriptors that contradict the page are an invalid response', () => {
  // descriptor length 20 in a page of 8
  assertInvalidReply(() => decodeDeviceIdentificationReply(hexBytes('05 83 00 08 01 03 00 14 60 01 40 5a')));
  // NAA 5 designator of 16 bytes
  assertInvalidReply(() =>
    decodeDeviceIdentificationReply(Buffer.concat([hexBytes('05 83 00 14 01 03 00 10'), hexBytes('50 01 40 5a bc de f0 12 00 00 00 00 00 00 00 00')])),
  );
  // SCSI name string not a multiple of 4
  assertInvalidReply(() => decodeDeviceIdentificationReply(hexBytes('05 83 00 07 53 a8 00 03 69 71 00')));
  // two stray bytes after the last descriptor
  assertInvalidReply(() => decodeDeviceIdentificationReply(hexBytes('05 83 00 0a 01 04 00 04 00 00 00 01 00 00')));
  // reply for another page
  assertInvalidReply(() => decodeDeviceIdentificationReply(hexBytes('05 80 00 00')));
});
