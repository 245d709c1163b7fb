import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTarget } from './target.js';
import { TestInitiator } from './initiator.test.helpers.js';
import { MemLun, read10, startMemTarget, write10, waitFor } from './mem-lun.test.helpers.js';
import { TaskMgmtFunction, TaskMgmtResponseCode, decodeText } from '@openimapi/sdk/iscsi';
import { ScsiStatus, parseSense } from '@openimapi/sdk/wire';

const { lun, target: t, logs } = await startMemTarget();
after(() => t.close());

test('login, READ(10) over several Data-In PDUs with status in the last one, logout', async () => {
  const c = await TestInitiator.connect(t.port);
  const params = await c.login({ keys: [['MaxRecvDataSegmentLength', '4096'], ['HeaderDigest', 'None'], ['DataDigest', 'None']] });
  assert.equal(params.MaxRecvDataSegmentLength, '262144', 'the target declares its own limit');
  assert.equal(params.TargetPortalGroupTag, '1');
  const r = await c.command(read10(2, 20), { read: 20 * 512 });
  assert.equal(r.status, ScsiStatus.GOOD);
  assert.deepEqual(r.data, lun.store.subarray(1024, 1024 + 10240));
  assert.equal(r.dataIns.length, 3, '10240 bytes in 4096-byte segments');
  assert.deepEqual(r.dataIns.map((d) => [d.dataSN, d.bufferOffset, d.statusPresent, d.final]), [[0, 0, false, false], [1, 4096, false, false], [2, 8192, true, true]]);
  assert.equal(r.response, undefined, 'phase collapse: no separate SCSI Response');
  assert.equal(r.residualCount, 0);
  const lo = await c.logout();
  assert.equal(lo.kind, 'logout-response');
  await c.whenClosed();
});

test('residuals: underflow when the LU returns less than EDTL, overflow when more (O/U bits)', async () => {
  const c = await TestInitiator.connect(t.port);
  await c.login();
  const under = await c.command(read10(0, 1), { read: 1024 });
  assert.equal(under.data.length, 512);
  assert.ok(under.residualUnderflow && !under.residualOverflow);
  assert.equal(under.residualCount, 512);
  const over = await c.command(Buffer.from([0xc2, 0, 0, 0, 0, 0]), { read: 4000 });
  assert.equal(over.data.length, 4000);
  assert.ok(over.residualOverflow && !over.residualUnderflow);
  assert.equal(over.residualCount, 6000);
  const none = await c.command(Buffer.from([0xc2, 0, 0, 0, 0, 0]));
  assert.ok(none.residualOverflow, 'data but no R bit: all of it is overflow');
  assert.equal(none.residualCount, 10000);
  c.destroy();
});

test('write path: immediate data, then R2Ts honouring MaxBurstLength', async () => {
  const c = await TestInitiator.connect(t.port);
  await c.login({ keys: [['InitialR2T', 'Yes'], ['ImmediateData', 'Yes'], ['FirstBurstLength', '4096'], ['MaxBurstLength', '8192'], ['MaxOutstandingR2T', '1']] });
  const data = Buffer.alloc(40 * 512);
  for (let i = 0; i < data.length; i++) data.writeUInt8((i * 13) & 0xff, i);
  const r = await c.command(write10(100, 40), { write: data, immediate: 4096, segment: 4096 });
  assert.equal(r.status, ScsiStatus.GOOD);
  assert.deepEqual(lun.store.subarray(100 * 512, 140 * 512), data);
  assert.deepEqual(r.r2ts.map((x) => [x.r2tSN, x.bufferOffset, x.desiredDataTransferLength]), [[0, 4096, 8192], [1, 12288, 8192]]);
  c.destroy();
});

test('write path: InitialR2T=No sends unsolicited Data-Out up to FirstBurstLength, R2Ts for the rest', async () => {
  const c = await TestInitiator.connect(t.port);
  await c.login({ keys: [['InitialR2T', 'No'], ['ImmediateData', 'Yes'], ['FirstBurstLength', '8192'], ['MaxBurstLength', '16384'], ['MaxOutstandingR2T', '2']] });
  assert.equal(c.params.InitialR2T, 'No');
  assert.equal(c.params.MaxOutstandingR2T, '2');
  const data = Buffer.alloc(64 * 512, 0x3c);
  const r = await c.command(write10(10, 64), { write: data, immediate: 1024, unsolicited: 8192 - 1024, segment: 2048 });
  assert.equal(r.status, ScsiStatus.GOOD);
  assert.deepEqual(lun.store.subarray(10 * 512, 74 * 512), data);
  assert.deepEqual(r.r2ts.map((x) => x.bufferOffset), [8192, 24576]);
  assert.ok(r.r2ts.every((x) => x.desiredDataTransferLength <= 16384));
  c.destroy();
});

test('NOP-Out ping is echoed in a NOP-In; several commands outstanding within the CmdSN window', async () => {
  const c = await TestInitiator.connect(t.port);
  await c.login();
  const n = await c.nop(Buffer.from('hello'));
  assert.equal(n.kind, 'nop-in');
  assert.ok(n.kind === 'nop-in' && n.data?.toString() === 'hello');
  assert.equal(c.maxCmdSN, (c.expCmdSN + 8 - 1) >>> 0, 'MaxCmdSN = ExpCmdSN + queue depth - 1');
  const slow = Array.from({ length: 6 }, () => c.command(Buffer.from([0xc1, 0, 0, 0, 0, 0])));
  const rs = await Promise.all(slow);
  assert.ok(rs.every((r) => r.status === ScsiStatus.GOOD));
  c.destroy();
});

test('out-of-window CmdSN is ignored (and logged); the session goes on', async () => {
  const c = await TestInitiator.connect(t.port);
  await c.login();
  const ignored = c.command(Buffer.alloc(6), { cmdSN: (c.cmdSN + 100) >>> 0 });
  let answered = false;
  void ignored.then(() => (answered = true));
  const ok = await c.command(Buffer.alloc(6));
  assert.equal(ok.status, ScsiStatus.GOOD);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(answered, false);
  assert.ok(logs.some((l) => /outside the window/.test(l)));
  c.destroy();
});

test('ABORT TASK of a command that never completes: function complete, signal aborted, no response for it', async () => {
  const c = await TestInitiator.connect(t.port);
  await c.login();
  const itt = c.itt();
  const sn = c.cmdSN;
  let done = false;
  void c.command(Buffer.from([0xc0, 0, 0, 0, 0, 0]), { itt }).then(() => (done = true));
  await waitFor(() => lun.commands.some((x) => x.op === 0xc0));
  const before = lun.aborted;
  const r = await c.tmf(TaskMgmtFunction.ABORT_TASK, { ref: itt, refCmdSN: sn });
  assert.ok(r.kind === 'task-mgmt-response' && r.response === TaskMgmtResponseCode.FUNCTION_COMPLETE);
  await waitFor(() => lun.aborted === before + 1);
  const again = await c.tmf(TaskMgmtFunction.ABORT_TASK, { ref: 0x7777, refCmdSN: (sn - 5) >>> 0 });
  assert.ok(again.kind === 'task-mgmt-response' && again.response === TaskMgmtResponseCode.TASK_DOES_NOT_EXIST);
  const reassign = await c.tmf(TaskMgmtFunction.TASK_REASSIGN, { ref: itt });
  assert.ok(reassign.kind === 'task-mgmt-response' && reassign.response === TaskMgmtResponseCode.TASK_ALLEGIANCE_REASSIGNMENT_NOT_SUPPORTED);
  const reset = await c.tmf(TaskMgmtFunction.LOGICAL_UNIT_RESET, { lun: 0 });
  assert.ok(reset.kind === 'task-mgmt-response' && reset.response === TaskMgmtResponseCode.FUNCTION_COMPLETE);
  assert.ok(lun.resets.some((x) => x.startsWith('lun-reset')));
  const noLun = await c.tmf(TaskMgmtFunction.LOGICAL_UNIT_RESET, { lun: 9 });
  assert.ok(noLun.kind === 'task-mgmt-response' && noLun.response === TaskMgmtResponseCode.LUN_DOES_NOT_EXIST);
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(done, false, 'an aborted task gets no SCSI Response');
  c.destroy();
});

test('two sessions get distinct nexus ids; nexusLost when a socket is destroyed', async () => {
  const a = await TestInitiator.connect(t.port);
  const b = await TestInitiator.connect(t.port);
  await a.login({ initiatorName: 'iqn.2026-11.org.example:a', isid: '400000000001' });
  await b.login({ initiatorName: 'iqn.2026-11.org.example:b', isid: '400000000002' });
  await a.command(Buffer.alloc(6));
  await b.command(Buffer.alloc(6));
  const ids = new Set(lun.commands.slice(-2).map((x) => x.nexus));
  assert.deepEqual([...ids].sort(), ['iqn.2026-11.org.example:a,i,0x400000000001', 'iqn.2026-11.org.example:b,i,0x400000000002']);
  a.destroy();
  await waitFor(() => lun.lost.includes('iqn.2026-11.org.example:a,i,0x400000000001'));
  assert.ok(!lun.lost.includes('iqn.2026-11.org.example:b,i,0x400000000002'));
  assert.equal((await b.command(Buffer.alloc(6))).status, ScsiStatus.GOOD, 'the other session is untouched');
  b.destroy();
});

test('REPORT LUNS and INQUIRY of an absent LUN are answered by the target; other commands get LOGICAL UNIT NOT SUPPORTED', async () => {
  const c = await TestInitiator.connect(t.port);
  await c.login();
  const rl = await c.command(Buffer.from('a0000000000000000100000000', 'hex').subarray(0, 12), { read: 256 });
  assert.equal(rl.status, ScsiStatus.GOOD);
  assert.equal(rl.data.toString('hex'), '00000008000000000000000000000000');
  const inq = await c.command(Buffer.from('120000002400', 'hex'), { lun: 5, read: 36 });
  assert.equal(inq.status, ScsiStatus.GOOD);
  assert.equal(inq.data[0], 0x7f, 'peripheral qualifier 011b, device type 1Fh');
  const tur = await c.command(Buffer.alloc(6), { lun: 5 });
  assert.equal(tur.status, ScsiStatus.CHECK_CONDITION);
  const s = parseSense(tur.sense)!;
  assert.deepEqual([s.key, s.asc, s.ascq], [5, 0x25, 0]);
  c.destroy();
});

test('discovery session: SendTargets=All answers TargetName and TargetAddress', async () => {
  const c = await TestInitiator.connect(t.port);
  await c.login({ discovery: true, keys: [['MaxBurstLength', '65536']] });
  assert.equal(c.params.MaxBurstLength, 'Irrelevant');
  const r = await c.text([['SendTargets', 'All']]);
  assert.equal(r.kind, 'text-response');
  const pairs = decodeText(r.kind === 'text-response' ? r.data! : Buffer.alloc(0));
  assert.deepEqual(pairs, [['TargetName', 'iqn.2026-11.org.openimapi:emulator'], ['TargetAddress', `127.0.0.1:${t.port},1`]]);
  c.destroy();
});

test('header and data digests (CRC32C) in full feature phase', async () => {
  const c = await TestInitiator.connect(t.port);
  await c.login({ keys: [['HeaderDigest', 'CRC32C,None'], ['DataDigest', 'CRC32C,None']] });
  assert.equal(c.params.HeaderDigest, 'CRC32C');
  const r = await c.command(read10(0, 3), { read: 1536 });
  assert.deepEqual(r.data, lun.store.subarray(0, 1536));
  c.destroy();
});

test('a bad header digest drops only that connection', async () => {
  const c = await TestInitiator.connect(t.port);
  const other = await TestInitiator.connect(t.port);
  await c.login({ keys: [['HeaderDigest', 'CRC32C']] });
  await other.login();
  const bad = Buffer.alloc(52);
  bad[0] = 0x00;
  bad[1] = 0x80;
  c.writeRaw(bad); // digest of zeros is not zero
  await c.whenClosed();
  assert.equal((await other.command(Buffer.alloc(6))).status, ScsiStatus.GOOD);
  other.destroy();
});

test('CHAP: right secret logs in (with mutual CHAP), wrong secret fails with 0201h', async () => {
  const lu = new MemLun();
  const tc = await startTarget({ port: 0, luns: [lu], chap: { user: 'alice', secret: 'alice-secret-12', mutualUser: 'target', mutualSecret: 'target-secret-1' } });
  try {
    const c = await TestInitiator.connect(tc.port);
    const challenge = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const p = await c.login({ chap: { user: 'alice', secret: 'alice-secret-12', mutual: { identifier: 9, challenge } } });
    assert.equal(p.CHAP_N, 'target');
    const { chapResponse, encodeBinary } = await import('@openimapi/sdk/iscsi');
    assert.equal(p.CHAP_R, encodeBinary(chapResponse(9, 'target-secret-1', challenge)));
    assert.equal((await c.command(Buffer.alloc(6))).status, ScsiStatus.GOOD);
    c.destroy();
    const d = await TestInitiator.connect(tc.port);
    await assert.rejects(d.login({ chap: { user: 'alice', secret: 'wrong-secret-00' } }), (e: Error & { statusClass?: number; statusDetail?: number }) => e.statusClass === 2 && e.statusDetail === 1);
    const n = await TestInitiator.connect(tc.port);
    await assert.rejects(n.login(), (e: Error & { statusClass?: number }) => e.statusClass === 2, 'no security stage while CHAP is required');
  } finally {
    await tc.close();
  }
});

test('unknown target name and a missing InitiatorName are login errors', async () => {
  const c = await TestInitiator.connect(t.port);
  await assert.rejects(c.login({ target: 'iqn.2026-11.org.example:nope' }), (e: Error & { statusClass?: number; statusDetail?: number }) => e.statusClass === 2 && e.statusDetail === 3);
});

test('Reject: unknown opcode (05h), SNACK at ERL 0 (03h), Data-Out for an unknown ITT and a command with the reserved ITT (09h) — with the offending header', async () => {
  const c = await TestInitiator.connect(t.port);
  await c.login();
  const bhs = Buffer.alloc(48);
  bhs.writeUInt8(0x1c, 0);
  bhs.writeUInt8(0x80, 1);
  bhs.writeUInt32BE(0xabcdef01, 16);
  c.writeRaw(bhs);
  const r1 = await c.nextPdu();
  assert.ok(r1.kind === 'reject' && r1.reason === 0x05 && r1.data.equals(bhs));
  c.send({ kind: 'snack-request', type: 0, itt: 77 });
  const r2 = await c.nextPdu();
  assert.ok(r2.kind === 'reject' && r2.reason === 0x03);
  c.send({ kind: 'data-out', final: true, itt: 12345, ttt: 9, data: Buffer.alloc(16) });
  const r3 = await c.nextPdu();
  assert.ok(r3.kind === 'reject' && r3.reason === 0x09);
  c.send({ kind: 'scsi-command', itt: 0xffffffff, cmdSN: c.cmdSN, expStatSN: c.expStatSN, cdb: Buffer.alloc(6) });
  c.cmdSN = (c.cmdSN + 1) >>> 0;
  const r4 = await c.nextPdu();
  assert.ok(r4.kind === 'reject' && r4.reason === 0x09, 'a command may not use the reserved ITT');
  assert.equal((await c.command(Buffer.alloc(6))).status, ScsiStatus.GOOD, 'the session survives');
  c.destroy();
});

test('a data segment above our MaxRecvDataSegmentLength: Reject, then the connection is dropped', async () => {
  const c = await TestInitiator.connect(t.port);
  await c.login();
  const bhs = Buffer.alloc(48);
  bhs.writeUInt8(0x40, 0); // immediate NOP-Out
  bhs.writeUInt8(0x80, 1);
  bhs.writeUIntBE(262145, 5, 3);
  c.writeRaw(bhs);
  const r = await c.nextPdu();
  assert.ok(r.kind === 'reject' && r.reason === 0x04);
  await c.whenClosed();
  assert.ok(logs.some((l) => /exceeds MaxRecvDataSegmentLength/.test(l)));
});

test('NOP-In keepalive: answered pings keep the connection, unanswered ones drop it', async () => {
  const lu = new MemLun();
  const tk = await startTarget({ port: 0, luns: [lu], nopInterval: 40, nopTimeout: 60 });
  try {
    const a = await TestInitiator.connect(tk.port);
    await a.login();
    await new Promise((r) => setTimeout(r, 250));
    assert.ok(a.received.filter((p) => p.kind === 'nop-in' && p.itt === 0xffffffff).length >= 2, 'pinged while idle');
    assert.equal(a.closed, false);
    const b = await TestInitiator.connect(tk.port);
    await b.login();
    b.answerPings = false;
    await b.whenClosed();
    assert.ok(lu.lost.length >= 1, 'session loss reported to the LUN');
    a.destroy();
  } finally {
    await tk.close();
  }
});

test('TARGET WARM RESET resets every LUN; TARGET COLD RESET answers, then drops every connection', async () => {
  const lu = new MemLun();
  const tr = await startTarget({ port: 0, luns: [lu, new MemLun()] });
  try {
    const a = await TestInitiator.connect(tr.port);
    const b = await TestInitiator.connect(tr.port);
    await a.login({ isid: '400000000011' });
    await b.login({ isid: '400000000012' });
    const w = await a.tmf(TaskMgmtFunction.TARGET_WARM_RESET);
    assert.ok(w.kind === 'task-mgmt-response' && w.response === TaskMgmtResponseCode.FUNCTION_COMPLETE);
    assert.ok(lu.resets.some((x) => x.startsWith('target-warm-reset')));
    const set = await b.tmf(TaskMgmtFunction.ABORT_TASK_SET);
    assert.ok(set.kind === 'task-mgmt-response' && set.response === TaskMgmtResponseCode.FUNCTION_COMPLETE);
    const aca = await b.tmf(TaskMgmtFunction.CLEAR_ACA);
    assert.ok(aca.kind === 'task-mgmt-response' && aca.response === TaskMgmtResponseCode.FUNCTION_NOT_SUPPORTED);
    const cold = await a.tmf(TaskMgmtFunction.TARGET_COLD_RESET);
    assert.ok(cold.kind === 'task-mgmt-response' && cold.response === TaskMgmtResponseCode.FUNCTION_COMPLETE);
    await Promise.all([a.whenClosed(), b.whenClosed()]);
    await waitFor(() => tr.target.connectionCount === 0);
  } finally {
    await tr.close();
  }
});

test('dropNexus drops the one session of a nexus; dropLun the sessions that addressed that LUN; the others go on', async () => {
  const lus = [new MemLun(), new MemLun()];
  const tr = await startTarget({ port: 0, luns: lus });
  try {
    const a = await TestInitiator.connect(tr.port);
    const b = await TestInitiator.connect(tr.port);
    const c = await TestInitiator.connect(tr.port);
    await a.login({ initiatorName: 'iqn.2026-11.org.example:a', isid: '400000000021' });
    await b.login({ initiatorName: 'iqn.2026-11.org.example:b', isid: '400000000022' });
    await c.login({ initiatorName: 'iqn.2026-11.org.example:c', isid: '400000000023' });
    assert.equal((await a.command(read10(0, 1), { read: 512, lun: 0 })).status, ScsiStatus.GOOD);
    assert.equal((await b.command(read10(0, 1), { read: 512, lun: 1 })).status, ScsiStatus.GOOD);
    assert.equal((await c.command(read10(0, 1), { read: 512, lun: 0 })).status, ScsiStatus.GOOD);
    assert.equal(tr.target.dropNexus('iqn.2026-11.org.example:c,i,0x400000000023', 'test'), 1);
    await c.whenClosed();
    await waitFor(() => lus[0]!.lost.includes('iqn.2026-11.org.example:c,i,0x400000000023'));
    assert.equal(tr.target.dropNexus('iqn.2026-11.org.example:nobody,i,0x400000000029', 'test'), 0);
    assert.equal((await a.command(read10(1, 1), { read: 512, lun: 0 })).status, ScsiStatus.GOOD, 'a, same LUN, other nexus: untouched');
    assert.equal(tr.target.dropLun(0, 'test'), 1, 'only a has addressed LUN 0 now');
    await a.whenClosed();
    assert.equal((await b.command(read10(1, 1), { read: 512, lun: 1 })).status, ScsiStatus.GOOD, 'the session of LUN 1 goes on');
    assert.equal(tr.target.stats.sessions, 1);
    assert.equal(tr.target.dropLun(0, 'test'), 0);
    b.destroy();
  } finally {
    await tr.close();
  }
});

test('session reinstatement: a new login with the same initiator name and ISID ends the old session', async () => {
  const a = await TestInitiator.connect(t.port);
  await a.login({ initiatorName: 'iqn.2026-11.org.example:re', isid: '400000000099' });
  const b = await TestInitiator.connect(t.port);
  await b.login({ initiatorName: 'iqn.2026-11.org.example:re', isid: '400000000099' });
  await a.whenClosed();
  assert.ok(lun.lost.includes('iqn.2026-11.org.example:re,i,0x400000000099'));
  assert.equal((await b.command(Buffer.alloc(6))).status, ScsiStatus.GOOD);
  b.destroy();
});

test('text negotiation in full feature phase: MaxRecvDataSegmentLength applies, login-only keys Reject, unknown NotUnderstood', async () => {
  const c = await TestInitiator.connect(t.port);
  await c.login();
  const r = await c.text([['MaxRecvDataSegmentLength', '1024'], ['HeaderDigest', 'CRC32C'], ['X-org.example.Foo', '1']]);
  assert.ok(r.kind === 'text-response');
  assert.deepEqual(decodeText(r.data!), [['HeaderDigest', 'Reject'], ['X-org.example.Foo', 'NotUnderstood']]);
  const rd = await c.command(read10(0, 4), { read: 2048 });
  assert.equal(rd.dataIns.length, 2, 'Data-In now cut at 1024 bytes');
  c.destroy();
});

test('write residuals from the LU\'s dataOutLength: EDTL above the CDB length is underflow, below is overflow', async () => {
  const c = await TestInitiator.connect(t.port);
  await c.login();
  const beyond = lun.store[200 * 512 + 512];
  const under = await c.command(write10(200, 1), { write: Buffer.alloc(1024, 1), immediate: 1024 });
  assert.deepEqual([under.status, under.residualUnderflow, under.residualOverflow, under.residualCount], [ScsiStatus.GOOD, true, false, 512]);
  const over = await c.command(write10(200, 2), { write: Buffer.alloc(512, 2), immediate: 512 });
  assert.deepEqual([over.status, over.residualUnderflow, over.residualOverflow, over.residualCount], [ScsiStatus.GOOD, false, true, 512]);
  assert.equal(lun.store[200 * 512 + 511], 2);
  assert.equal(lun.store[200 * 512 + 512], beyond, 'only the CDB length, then only EDTL, was written');
  c.destroy();
});
