/**
 * The target's session rules over real TCP: login key negotiation (answers, bounds, defaults, keys
 * sent twice), Data-Out sequencing and data digests at ErrorRecoveryLevel 0, the CmdSN window under
 * load, clients that vanish mid-transfer, resets across sessions and many sessions at once.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTarget } from './target.js';
import { TestInitiator } from './initiator.test.helpers.js';
import { MemLun, read10, startMemTarget, write10, waitFor } from './mem-lun.test.helpers.js';
import { RESERVED_TAG, TaskMgmtFunction, TaskMgmtResponseCode, encodePdu, framePdu, snAdd, type Pdu } from '@openimapi/sdk/iscsi';
import { ScsiStatus, parseSense } from '@openimapi/sdk/wire';

const { lun, target: t, logs } = await startMemTarget();
after(() => t.close());

/** The next `n` PDUs nobody waits for. */
async function collect(c: TestInitiator, n: number): Promise<Pdu[]> {
  const out: Pdu[] = [];
  while (out.length < n) out.push(await c.nextPdu(10000));
  return out;
}

/** Sends a WRITE(10) of `blocks` 512-byte blocks by hand (no automatic Data-Out); returns its ITT. */
function sendWrite(c: TestInitiator, blocks: number, o: { immediate?: Buffer; final?: boolean } = {}): number {
  const itt = c.itt();
  c.send({
    kind: 'scsi-command', final: o.final ?? true, write: true, attr: 1, itt, expectedDataTransferLength: blocks * 512, cmdSN: c.cmdSN,
    expStatSN: c.expStatSN, cdb: write10(0, blocks), data: o.immediate ?? Buffer.alloc(0),
  });
  c.cmdSN = snAdd(c.cmdSN, 1);
  return itt;
}

const dataOut = (itt: number, ttt: number, dataSN: number, offset: number, length: number, final: boolean): Pdu => ({
  kind: 'data-out', final, itt, ttt, dataSN, bufferOffset: offset, data: Buffer.alloc(length, 0xee),
});

const writesBy = (nexus: string) => lun.commands.filter((x) => x.op === 0x2a && x.nexus === nexus).length;

function assertCheckCondition(p: Pdu | undefined, itt: number, key: number, asc: number, ascq: number): void {
  assert.ok(p?.kind === 'scsi-response' && p.itt === itt, `a SCSI Response for ITT ${itt}, got ${p?.kind}`);
  assert.equal(p.status, ScsiStatus.CHECK_CONDITION);
  const s = parseSense(p.sense)!;
  assert.deepEqual([s.key, s.asc, s.ascq], [key, asc, ascq]);
}

test('login: every operational key is answered by its RFC 7143 rule', async () => {
  const c = await TestInitiator.connect(t.port);
  const p = await c.login({
    keys: [
      ['HeaderDigest', 'CRC32C,None'], ['DataDigest', 'None,CRC32C'], ['MaxConnections', '4'], ['InitialR2T', 'No'],
      ['ImmediateData', 'Yes'], ['MaxRecvDataSegmentLength', '65536'], ['MaxBurstLength', '131072'], ['FirstBurstLength', '262144'],
      ['DefaultTime2Wait', '5'], ['DefaultTime2Retain', '60'], ['MaxOutstandingR2T', '32'], ['DataPDUInOrder', 'No'],
      ['DataSequenceInOrder', 'No'], ['ErrorRecoveryLevel', '2'], ['IFMarker', 'No'], ['OFMarker', 'Yes'], ['X-org.example.Key', '1'],
    ],
  });
  assert.deepEqual(
    {
      HeaderDigest: p.HeaderDigest, DataDigest: p.DataDigest, MaxConnections: p.MaxConnections, InitialR2T: p.InitialR2T,
      ImmediateData: p.ImmediateData, MaxBurstLength: p.MaxBurstLength, FirstBurstLength: p.FirstBurstLength,
      DefaultTime2Wait: p.DefaultTime2Wait, DefaultTime2Retain: p.DefaultTime2Retain, MaxOutstandingR2T: p.MaxOutstandingR2T,
      DataPDUInOrder: p.DataPDUInOrder, DataSequenceInOrder: p.DataSequenceInOrder, ErrorRecoveryLevel: p.ErrorRecoveryLevel,
      IFMarker: p.IFMarker, OFMarker: p.OFMarker, 'X-org.example.Key': p['X-org.example.Key'], MaxRecvDataSegmentLength: p.MaxRecvDataSegmentLength,
    },
    {
      HeaderDigest: 'CRC32C', DataDigest: 'None', MaxConnections: '1', InitialR2T: 'No', ImmediateData: 'Yes', MaxBurstLength: '131072',
      // min(262144, our 16777215), then cut to MaxBurstLength: FirstBurstLength must not exceed it (§13.14)
      FirstBurstLength: '131072', DefaultTime2Wait: '5', DefaultTime2Retain: '0', MaxOutstandingR2T: '16', DataPDUInOrder: 'Yes',
      DataSequenceInOrder: 'No', ErrorRecoveryLevel: '0', IFMarker: 'No', OFMarker: 'No', 'X-org.example.Key': 'NotUnderstood',
      MaxRecvDataSegmentLength: '262144', // declarative: the target states its own
    },
  );
  // The agreed values are in force: header digests on, R2Ts no longer than MaxBurstLength.
  const r = await c.command(write10(0, 256), { write: Buffer.alloc(256 * 512, 0x5c), segment: 65536 });
  assert.equal(r.status, ScsiStatus.GOOD);
  assert.ok(r.r2ts.length > 0 && r.r2ts.every((x) => x.desiredDataTransferLength <= 131072));
  c.destroy();
});

test('login: values out of bounds or not on the list are answered Reject; the defaults stay in force', async () => {
  const c = await TestInitiator.connect(t.port);
  const p = await c.login({
    keys: [
      ['HeaderDigest', 'MD5'], ['MaxBurstLength', '100'], ['FirstBurstLength', '16777216'], ['ErrorRecoveryLevel', '3'],
      ['DefaultTime2Wait', '3601'], ['MaxOutstandingR2T', '0'], ['InitialR2T', 'Maybe'], ['MaxConnections', '0x10000'],
    ],
  });
  for (const k of ['HeaderDigest', 'MaxBurstLength', 'FirstBurstLength', 'ErrorRecoveryLevel', 'DefaultTime2Wait', 'MaxOutstandingR2T', 'InitialR2T', 'MaxConnections']) {
    assert.equal(p[k], 'Reject', k);
  }
  // InitialR2T stays Yes (its default): unsolicited Data-Out is refused and fails its command.
  const itt = sendWrite(c, 2);
  c.send(dataOut(itt, RESERVED_TAG, 0, 0, 1024, true));
  const got = await collect(c, 3);
  const r2t = got.find((x) => x.kind === 'r2t');
  assert.ok(r2t?.kind === 'r2t' && r2t.desiredDataTransferLength === 1024, 'the default MaxBurstLength (262144) allows one R2T for all');
  assert.ok(got.some((x) => x.kind === 'reject' && x.reason === 0x04));
  assertCheckCondition(got.find((x) => x.kind === 'scsi-response'), itt, 0x0b, 0x4b, 0x00);
  c.destroy();
});

test('login: InitialR2T=Yes with ImmediateData=No makes FirstBurstLength irrelevant; discovery sessions find session keys irrelevant', async () => {
  const c = await TestInitiator.connect(t.port);
  const p = await c.login({ keys: [['InitialR2T', 'Yes'], ['ImmediateData', 'No'], ['FirstBurstLength', '4096']] });
  assert.equal(p.FirstBurstLength, 'Irrelevant');
  assert.equal(p.ImmediateData, 'No');
  // ImmediateData=No is in force: a command carrying data is rejected.
  const itt = sendWrite(c, 1, { immediate: Buffer.alloc(512) });
  const [rej] = await collect(c, 1);
  assert.ok(rej?.kind === 'reject' && rej.reason === 0x04 && rej.data.readUInt32BE(16) === itt);
  c.destroy();
  const d = await TestInitiator.connect(t.port);
  const q = await d.login({ discovery: true, keys: [['InitialR2T', 'No'], ['MaxConnections', '2'], ['DataPDUInOrder', 'No'], ['HeaderDigest', 'None']] });
  assert.deepEqual([q.InitialR2T, q.MaxConnections, q.DataPDUInOrder, q.HeaderDigest], ['Irrelevant', 'Irrelevant', 'Irrelevant', 'None']);
  d.destroy();
});

test('login: a key sent twice is an initiator error (0200h)', async () => {
  const c = await TestInitiator.connect(t.port);
  await assert.rejects(
    c.login({ keys: [['MaxBurstLength', '65536'], ['MaxBurstLength', '65536']] }),
    (e: Error & { statusClass?: number; statusDetail?: number }) => e.statusClass === 2 && e.statusDetail === 0,
  );
  await c.whenClosed();
  assert.ok(logs.some((l) => /MaxBurstLength sent twice/.test(l)));
});

test('CHAP: an initiator that sends the target\'s own challenge back for mutual CHAP is refused (0201h)', async () => {
  const seen: string[] = [];
  const tc = await startTarget({
    port: 0, luns: [new MemLun()], chap: { user: 'bob', secret: 'bob-secret-123', mutualUser: 'tgt', mutualSecret: 'tgt-secret-456' }, logger: (_l, m) => seen.push(m),
  });
  try {
    const c = await TestInitiator.connect(tc.port);
    await assert.rejects(
      c.login({ chap: { user: 'bob', secret: 'bob-secret-123', mutual: { identifier: 1, challenge: 'reflect' } } }),
      (e: Error & { statusClass?: number; statusDetail?: number }) => e.statusClass === 2 && e.statusDetail === 1,
    );
    assert.ok(seen.some((m) => /mutual CHAP_C is the challenge the target sent/.test(m)));
  } finally {
    await tc.close();
  }
});

test('Data-In honours MaxBurstLength and MaxRecvDataSegmentLength: F at each burst end, DataSN and offsets run on, status in the last PDU', async () => {
  const c = await TestInitiator.connect(t.port);
  await c.login({ keys: [['MaxRecvDataSegmentLength', '4096'], ['MaxBurstLength', '8192']] });
  const r = await c.command(read10(1, 40), { read: 40 * 512 });
  assert.deepEqual(r.data, lun.store.subarray(512, 41 * 512));
  assert.deepEqual(
    r.dataIns.map((d) => [d.dataSN, d.bufferOffset, d.data?.length, d.final, d.statusPresent]),
    [[0, 0, 4096, false, false], [1, 4096, 4096, true, false], [2, 8192, 4096, false, false], [3, 12288, 4096, true, false], [4, 16384, 4096, true, true]],
  );
  c.destroy();
});

test('Data-Out out of order (gap, overlap, burst ended early): Reject 04h, CHECK CONDITION 0B/4B/00, nothing written; the session goes on', async () => {
  const c = await TestInitiator.connect(t.port);
  await c.login({ initiatorName: 'iqn.2026-11.org.example:dataout', keys: [['InitialR2T', 'No'], ['FirstBurstLength', '4096'], ['MaxBurstLength', '8192']] });
  const nexus = 'iqn.2026-11.org.example:dataout,i,0x400001370000';
  // Unsolicited burst with a gap: immediate [0, 1024), then a Data-Out at 2048.
  let itt = sendWrite(c, 16, { immediate: Buffer.alloc(1024), final: false });
  c.send(dataOut(itt, RESERVED_TAG, 0, 2048, 1024, false));
  let got = await collect(c, 3); // R2T for [4096, 8192), Reject, SCSI Response
  assert.ok(got.some((x) => x.kind === 'r2t' && x.bufferOffset === 4096));
  assert.ok(got.some((x) => x.kind === 'reject' && x.reason === 0x04));
  assertCheckCondition(got.find((x) => x.kind === 'scsi-response'), itt, 0x0b, 0x4b, 0x00);
  // Later Data-Out of that task is dropped without a word: the next PDU answers the NOP.
  c.send(dataOut(itt, RESERVED_TAG, 1, 1024, 1024, true));
  assert.equal((await c.nop(Buffer.from('x'))).kind, 'nop-in');

  // Unsolicited burst that stops (F) before FirstBurstLength.
  itt = sendWrite(c, 16, { final: false });
  c.send(dataOut(itt, RESERVED_TAG, 0, 0, 1024, true));
  got = await collect(c, 3);
  assertCheckCondition(got.find((x) => x.kind === 'scsi-response'), itt, 0x0b, 0x4b, 0x00);

  // Solicited burst: overlap, then a burst ended short.
  for (const second of [dataOut(0, 0, 1, 0, 1024, false), dataOut(0, 0, 1, 1024, 1024, true)]) {
    const id = sendWrite(c, 16, { final: true });
    const [r2t] = await collect(c, 1);
    assert.ok(r2t?.kind === 'r2t' && r2t.itt === id && r2t.bufferOffset === 0 && r2t.desiredDataTransferLength === 8192);
    c.send(dataOut(id, r2t.ttt, 0, 0, 1024, false));
    c.send({ ...second, itt: id, ttt: r2t.ttt } as Pdu);
    const rest = await collect(c, 2); // Reject, SCSI Response
    assert.ok(rest.some((x) => x.kind === 'reject' && x.reason === 0x04));
    assertCheckCondition(rest.find((x) => x.kind === 'scsi-response'), id, 0x0b, 0x4b, 0x00);
  }
  assert.equal(writesBy(nexus), 0, 'the logical unit never saw a write with holes');
  const ok = await c.command(write10(0, 16), { write: Buffer.alloc(8192, 1), immediate: 1024, unsolicited: 3072, segment: 1024 });
  assert.equal(ok.status, ScsiStatus.GOOD);
  assert.equal(writesBy(nexus), 1);
  c.destroy();
});

test('data digest errors: a NOP-Out is rejected (02h) and the session goes on; a Data-Out also fails its command (0B/47/03)', async () => {
  const c = await TestInitiator.connect(t.port);
  await c.login({ keys: [['DataDigest', 'CRC32C']] });
  assert.equal(c.params.DataDigest, 'CRC32C');
  const corrupt = (p: Pdu) => {
    const { header, data } = encodePdu(p);
    const wire = Buffer.concat(framePdu(header, data, { headerDigest: false, dataDigest: true }));
    wire.writeUInt8(wire.readUInt8(wire.length - 1) ^ 0x5a, wire.length - 1);
    return wire;
  };
  c.writeRaw(corrupt({ kind: 'nop-out', itt: c.itt(), cmdSN: c.cmdSN, expStatSN: c.expStatSN, data: Buffer.from('ping') }));
  const [rej] = await collect(c, 1);
  assert.ok(rej?.kind === 'reject' && rej.reason === 0x02);
  // The rejected NOP-Out never took its CmdSN: the next command reuses it.
  assert.equal((await c.command(Buffer.alloc(6))).status, ScsiStatus.GOOD);

  const itt = sendWrite(c, 4);
  const [r2t] = await collect(c, 1);
  assert.ok(r2t?.kind === 'r2t');
  c.writeRaw(corrupt(dataOut(itt, r2t.ttt, 0, 0, 2048, true)));
  const got = await collect(c, 2);
  assert.ok(got[0]?.kind === 'reject' && got[0].reason === 0x02);
  assertCheckCondition(got[1], itt, 0x0b, 0x47, 0x03);
  assert.equal((await c.command(read10(0, 1), { read: 512 })).status, ScsiStatus.GOOD);
  c.destroy();
});

test('CmdSN window: it closes while queue-depth tasks run (MaxCmdSN = ExpCmdSN - 1), commands beyond it are ignored, it reopens as tasks end', async () => {
  const c = await TestInitiator.connect(t.port);
  await c.login({ isid: '400000000a01' });
  const itts: number[] = [];
  const sns: number[] = [];
  for (let i = 0; i < 8; i++) {
    const itt = c.itt();
    itts.push(itt);
    sns.push(c.cmdSN);
    void c.command(Buffer.from([0xc0, 0, 0, 0, 0, 0]), { itt });
  }
  await waitFor(() => lun.commands.filter((x) => x.op === 0xc0 && x.nexus.endsWith('0x400000000a01')).length === 8);
  // An immediate NOP-Out reports the window: closed.
  const itt = c.itt();
  c.send({ kind: 'nop-out', immediate: true, itt, cmdSN: c.cmdSN, expStatSN: c.expStatSN });
  const [nop] = await collect(c, 1);
  assert.ok(nop?.kind === 'nop-in');
  assert.equal(nop.expCmdSN, c.cmdSN);
  assert.equal(nop.maxCmdSN, snAdd(c.cmdSN, -1), 'window closed');
  // A command beyond MaxCmdSN is ignored; an immediate one is rejected (06h).
  const late = c.command(Buffer.alloc(6), { cmdSN: c.cmdSN });
  let lateDone = false;
  void late.then(() => (lateDone = true));
  c.send({ kind: 'scsi-command', immediate: true, itt: c.itt(), cmdSN: c.cmdSN, expStatSN: c.expStatSN, cdb: Buffer.alloc(6) });
  const [imm] = await collect(c, 1);
  assert.ok(imm?.kind === 'reject' && imm.reason === 0x06);
  await waitFor(() => logs.some((l) => /outside the window/.test(l)));
  assert.equal(lateDone, false);
  // ABORT TASK frees one slot: the TMF response opens the window by one; the same CmdSN is now taken.
  const tmf = await c.tmf(TaskMgmtFunction.ABORT_TASK, { ref: itts[0]!, refCmdSN: sns[0]! });
  assert.ok(tmf.kind === 'task-mgmt-response' && tmf.response === TaskMgmtResponseCode.FUNCTION_COMPLETE);
  assert.equal(tmf.maxCmdSN, c.cmdSN);
  const again = await c.command(Buffer.alloc(6), { cmdSN: c.cmdSN });
  assert.equal(again.status, ScsiStatus.GOOD);
  c.destroy();
  await waitFor(() => lun.lost.includes('iqn.2026-11.org.openimapi:test-initiator,i,0x400000000a01'));
});

test('a client vanishing mid-write: the write never reaches the LU, the session is reported lost, the connection is freed', async () => {
  await waitFor(() => t.target.connectionCount === 0); // earlier tests' sockets are gone
  const c = await TestInitiator.connect(t.port);
  await c.login({ initiatorName: 'iqn.2026-11.org.example:vanish-w' });
  const itt = sendWrite(c, 128);
  const [r2t] = await collect(c, 1);
  assert.ok(r2t?.kind === 'r2t' && r2t.itt === itt);
  c.send(dataOut(itt, r2t.ttt, 0, 0, 4096, false));
  c.destroy();
  await waitFor(() => lun.lost.includes('iqn.2026-11.org.example:vanish-w,i,0x400001370000'));
  await waitFor(() => t.target.connectionCount === 0);
  assert.equal(writesBy('iqn.2026-11.org.example:vanish-w,i,0x400001370000'), 0);
});

test('a client vanishing mid-read: the Data-In buffer is released, other sessions are served', async () => {
  const other = await TestInitiator.connect(t.port);
  await other.login({ initiatorName: 'iqn.2026-11.org.example:bystander' });
  const before = lun.released;
  const c = await TestInitiator.connect(t.port);
  await c.login({ initiatorName: 'iqn.2026-11.org.example:vanish-r', keys: [['MaxRecvDataSegmentLength', '8192']] });
  c.socket.pause(); // read nothing: the target's writes back up
  c.send({ kind: 'scsi-command', read: true, itt: c.itt(), cmdSN: c.cmdSN, expStatSN: c.expStatSN, expectedDataTransferLength: lun.bigRead, cdb: Buffer.from([0xc3, 0, 0, 0, 0, 0]) });
  await waitFor(() => lun.commands.some((x) => x.op === 0xc3 && x.nexus.startsWith('iqn.2026-11.org.example:vanish-r')));
  c.destroy();
  await waitFor(() => lun.released === before + 1);
  await waitFor(() => lun.lost.includes('iqn.2026-11.org.example:vanish-r,i,0x400001370000'));
  const r = await other.command(read10(3, 2), { read: 1024 });
  assert.deepEqual(r.data, lun.store.subarray(1536, 2560));
  other.destroy();
});

test('LUN RESET and TARGET WARM RESET from one session abort the tasks of another (no response for them)', async () => {
  const a = await TestInitiator.connect(t.port);
  const b = await TestInitiator.connect(t.port);
  await a.login({ initiatorName: 'iqn.2026-11.org.example:reset-a' });
  await b.login({ initiatorName: 'iqn.2026-11.org.example:reset-b' });
  for (const fn of [TaskMgmtFunction.LOGICAL_UNIT_RESET, TaskMgmtFunction.TARGET_WARM_RESET]) {
    const aborted = lun.aborted;
    let answered = false;
    void a.command(Buffer.from([0xc0, 0, 0, 0, 0, 0])).then(() => (answered = true));
    await waitFor(() => lun.commands.filter((x) => x.op === 0xc0 && x.nexus.startsWith('iqn.2026-11.org.example:reset-a')).length === (fn === 5 ? 1 : 2));
    const r = await b.tmf(fn, { lun: 0 });
    assert.ok(r.kind === 'task-mgmt-response' && r.response === TaskMgmtResponseCode.FUNCTION_COMPLETE);
    await waitFor(() => lun.aborted === aborted + 1);
    assert.ok(lun.resets.includes(`${fn === 5 ? 'lun-reset' : 'target-warm-reset'} iqn.2026-11.org.example:reset-b,i,0x400001370000`));
    assert.equal((await a.command(Buffer.alloc(6))).status, ScsiStatus.GOOD, 'session A goes on');
    assert.equal(answered, false, 'the aborted task got no response');
  }
  a.destroy();
  b.destroy();
});

test('sixteen sessions from different initiators at once: each command carries its own nexus; all are reported lost at the end', async () => {
  await waitFor(() => t.target.connectionCount === 0);
  const clients = await Promise.all(Array.from({ length: 16 }, () => TestInitiator.connect(t.port)));
  const names = clients.map((_, i) => `iqn.2026-11.org.example:many-${i}`);
  const isid = (i: number) => `400000${(0xb00 + i).toString(16).padStart(6, '0')}`;
  await Promise.all(clients.map((c, i) => c.login({ initiatorName: names[i]!, isid: isid(i) })));
  const from = lun.commands.length;
  const results = await Promise.all(clients.flatMap((c) => Array.from({ length: 4 }, (_, k) => c.command(read10(k, 1), { read: 512 }))));
  assert.ok(results.every((r) => r.status === ScsiStatus.GOOD));
  const seen = new Set(lun.commands.slice(from).map((x) => x.nexus));
  assert.deepEqual([...seen].sort(), names.map((n, i) => `${n},i,0x${isid(i)}`).sort());
  for (const c of clients) c.destroy();
  await waitFor(() => [...seen].every((id) => lun.lost.includes(id)));
  await waitFor(() => t.target.connectionCount === 0);
});
