/**
 * The SDK's iSCSI initiator against the emulator's real target over TCP, watched PDU by PDU through a
 * tap (pdu-tap.test.helpers.ts): how writes are split (immediate, unsolicited, R2T), the CmdSN
 * window, NOP keepalive both ways, ABORT TASK on the emulator's "timeout" fault, the device-gone
 * fault, RESERVATION CONFLICT, logout, CHAP and digests.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiscMaster2, IscsiSession, ImapiError, type DiscRecorder2Ex } from '@openimapi/sdk';
import { RESERVED_TAG, TaskMgmtFunction, type DataOut, type R2T, type ScsiCommand } from '@openimapi/sdk/iscsi';
import { startTarget, type StartedTarget } from '../iscsi/target.js';
import type { TargetOptions } from '../iscsi/types.js';
import type { LogicalUnit, LunCommand, LunResponse } from '../lun.js';
import { MmcDrive } from '../drive/mmc-drive.js';
import { dropSessionsWhenGone } from '../drive/index.js';
import { startPduTap, type PduTap } from './pdu-tap.test.helpers.js';

const TUR = Buffer.alloc(6);
const INQUIRY = Buffer.from([0x12, 0, 0, 0, 36, 0]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isHr = (hr: number) => (e: unknown) => e instanceof ImapiError && e.hresult === hr;
const DEV_NOT_EXIST = 0x80070037;

/** A logical unit that keeps every command's data-out and answers INQUIRY-sized data-in, after `delayMs`. */
function captureUnit(delayMs = 0): LogicalUnit & { writes: Buffer[] } {
  const writes: Buffer[] = [];
  return {
    writes,
    async execute(cmd: LunCommand): Promise<LunResponse> {
      if (delayMs) await sleep(delayMs);
      if (cmd.dataOut) writes.push(Buffer.from(cmd.dataOut));
      return { status: 0, ...(cmd.expectedDataInLength ? { dataIn: Buffer.alloc(cmd.expectedDataInLength, 0x5a) } : {}) };
    },
    nexusLost() {},
    reset() {},
  };
}

async function tapped(opts: TargetOptions): Promise<{ target: StartedTarget; tap: PduTap; url: string; close: () => Promise<void> }> {
  const target = await startTarget({ port: 0, ...opts });
  const tap = await startPduTap(target);
  return { target, tap, url: `iscsi://${tap.host}:${tap.port}/${target.iqn}/0`, close: async () => (await tap.close(), await target.close()) };
}

test('a write goes as immediate data, unsolicited Data-Out up to FirstBurstLength, then R2T-solicited Data-Out within MaxRecvDataSegmentLength', async () => {
  const lu = captureUnit();
  const { tap, url, close } = await tapped({ luns: [lu], maxRecvDataSegmentLength: 4096 });
  try {
    const s = await IscsiSession.connect(url, { keepaliveMs: 0 });
    const p = s.negotiated.params;
    assert.equal(p.targetMaxRecvDataSegmentLength, 4096);
    assert.equal(p.initialR2T, false, 'both sides agreed InitialR2T=No');
    assert.equal(p.immediateData, true);
    const total = p.firstBurstLength + 3 * p.maxBurstLength + 1000;
    const data = Buffer.alloc(total);
    for (let i = 0; i < total; i++) data[i] = (i * 31 + (i >> 12)) & 0xff;
    const cdb = Buffer.from([0x2a, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
    const r = await s.execute({ cdb, direction: 'out', dataOut: data, timeoutMs: 30_000 });
    assert.equal(r.status, 0);
    assert.ok(lu.writes[0]!.equals(data), 'the target collected the data byte for byte');

    const cmd = tap.seen.find((t) => t.dir === 'out' && t.pdu.kind === 'scsi-command' && t.pdu.cdb[0] === 0x2a)!.pdu as ScsiCommand;
    const itt = cmd.itt;
    assert.equal(cmd.final, false, 'the command has F=0: unsolicited Data-Out follows it (RFC 7143 §11.3.4)');
    const immediate = cmd.data?.length ?? 0;
    assert.equal(immediate, Math.min(p.firstBurstLength, 4096), 'immediate data: min(FirstBurstLength, MaxRecvDataSegmentLength)');
    assert.equal(cmd.expectedDataTransferLength, total);
    const outs = tap.seen.filter((t) => t.dir === 'out' && t.pdu.kind === 'data-out' && t.pdu.itt === itt).map((t) => t.pdu as DataOut);
    const unsolicited = outs.filter((d) => d.ttt === RESERVED_TAG);
    const solicited = outs.filter((d) => d.ttt !== RESERVED_TAG);
    const r2ts = tap.seen.filter((t) => t.dir === 'in' && t.pdu.kind === 'r2t' && t.pdu.itt === itt).map((t) => t.pdu as R2T);
    assert.equal(immediate + unsolicited.reduce((n, d) => n + (d.data?.length ?? 0), 0), p.firstBurstLength, 'unsolicited data ends at FirstBurstLength');
    assert.equal(unsolicited.at(-1)!.final, true, 'the unsolicited sequence ends with F');
    assert.ok(r2ts.length >= 3, `${r2ts.length} R2Ts`);
    for (const t of r2ts) assert.ok(t.desiredDataTransferLength <= p.maxBurstLength, 'each R2T within MaxBurstLength');
    for (const d of outs) assert.ok((d.data?.length ?? 0) <= 4096, 'each Data-Out within the target MaxRecvDataSegmentLength');
    // Every byte went exactly once, at its own offset.
    const pieces = [{ off: 0, len: immediate }, ...outs.map((d) => ({ off: d.bufferOffset ?? 0, len: d.data?.length ?? 0 }))].sort((a, b) => a.off - b.off);
    let end = 0;
    for (const x of pieces) {
      assert.equal(x.off, end, 'contiguous');
      end += x.len;
    }
    assert.equal(end, total);
    // Each R2T's sequence: DataSN from 0, F on its last PDU, exactly the bytes it asked for.
    for (const t of r2ts) {
      const seq = solicited.filter((d) => d.ttt === t.ttt);
      assert.deepEqual(seq.map((d) => d.dataSN), seq.map((_, i) => i));
      assert.equal(seq.at(-1)!.final, true);
      assert.equal(seq.reduce((n, d) => n + (d.data?.length ?? 0), 0), t.desiredDataTransferLength);
    }

    // A write shorter than the first burst needs no R2T.
    const small = Buffer.alloc(10_000, 7);
    await s.execute({ cdb, direction: 'out', dataOut: small, timeoutMs: 30_000 });
    const smallItt = (tap.seen.filter((t) => t.dir === 'out' && t.pdu.kind === 'scsi-command').at(-1)!.pdu as ScsiCommand).itt;
    assert.equal(tap.seen.filter((t) => t.pdu.kind === 'r2t' && t.pdu.itt === smallItt).length, 0);
    assert.ok(lu.writes[1]!.equals(small));
    await s.close();
  } finally {
    await close();
  }
});

test('CmdSN window: with queue depth 2, eight concurrent commands never pass MaxCmdSN and all complete', async () => {
  const { tap, url, close } = await tapped({ luns: [captureUnit(20)], queueDepth: 2 });
  try {
    const s = await IscsiSession.connect(url, { keepaliveMs: 0 });
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => s.execute({ cdb: Buffer.from([0x12, 0, 0, 0, 10 + i, 0]), direction: 'in', dataInLength: 10 + i, timeoutMs: 30_000 })));
    assert.deepEqual(results.map((r) => r.dataIn.length), [10, 11, 12, 13, 14, 15, 16, 17]);
    let maxCmdSN = -1;
    let outstanding = 0;
    let peak = 0;
    const cmdSNs: number[] = [];
    for (const t of tap.seen) {
      const p = t.pdu as { kind: string; maxCmdSN?: number; cmdSN?: number; immediate?: boolean };
      if (t.dir === 'in' && p.maxCmdSN !== undefined) maxCmdSN = Math.max(maxCmdSN, p.maxCmdSN);
      if (t.dir === 'out' && p.kind === 'scsi-command') {
        assert.ok(p.cmdSN! <= maxCmdSN, `CmdSN ${p.cmdSN} sent with MaxCmdSN ${maxCmdSN}`);
        cmdSNs.push(p.cmdSN!);
        peak = Math.max(peak, ++outstanding);
      }
      if (t.dir === 'in' && (p.kind === 'scsi-response' || (p.kind === 'data-in' && (p as { statusPresent?: boolean }).statusPresent))) outstanding--;
    }
    assert.equal(peak, 2, 'two in flight at most, and two at some point');
    assert.deepEqual(cmdSNs, cmdSNs.map((_, i) => cmdSNs[0]! + i), 'CmdSN counts up by one per command');
    await s.close();
  } finally {
    await close();
  }
});

test('NOP keepalive: target NOP-In pings are answered with their TTT; an idle session survives them', async () => {
  const { tap, url, close } = await tapped({ luns: [captureUnit()], nopInterval: 100, nopTimeout: 10_000 });
  try {
    const s = await IscsiSession.connect(url, { keepaliveMs: 0 });
    const pings = () => tap.seen.filter((t) => t.dir === 'in' && t.pdu.kind === 'nop-in' && t.pdu.ttt !== RESERVED_TAG);
    while (pings().length < 3) await sleep(50);
    for (const ping of pings().slice(0, 2)) {
      const ttt = (ping.pdu as { ttt: number }).ttt;
      const answer = await tap.waitFor((t) => t.dir === 'out' && t.pdu.kind === 'nop-out' && t.pdu.ttt === ttt);
      assert.equal((answer.pdu as { itt: number }).itt, RESERVED_TAG);
      assert.equal((answer.pdu as { immediate?: boolean }).immediate, true);
    }
    assert.equal(s.closed, false);
    assert.equal((await s.execute({ cdb: INQUIRY, direction: 'in', dataInLength: 36, timeoutMs: 10_000 })).status, 0);
    await s.close();
  } finally {
    await close();
  }
});

test('NOP keepalive: the idle initiator pings with NOP-Out; an unanswered ping drops the session (ERROR_DEV_NOT_EXIST)', async () => {
  const { tap, url, close } = await tapped({ luns: [captureUnit()], nopInterval: 0 });
  try {
    const s = await IscsiSession.connect(url, { keepaliveMs: 500 });
    const ping = await tap.waitFor((t) => t.dir === 'out' && t.pdu.kind === 'nop-out' && t.pdu.itt !== RESERVED_TAG);
    const itt = (ping.pdu as { itt: number }).itt;
    await tap.waitFor((t) => t.dir === 'in' && t.pdu.kind === 'nop-in' && t.pdu.itt === itt);
    assert.equal(s.closed, false);
    // From now on the target never sees our pings.
    tap.drop = (t) => t.dir === 'out' && t.pdu.kind === 'nop-out';
    const lost = await new Promise<ImapiError>((resolve) => s.once('lost', resolve));
    assert.equal(lost.hresult, DEV_NOT_EXIST);
    assert.match(lost.message, /NOP-Out ping unanswered/);
    await assert.rejects(s.execute({ cdb: TUR, direction: 'none', timeoutMs: 1000 }), (e: unknown) => isHr(DEV_NOT_EXIST)(e) && (e as ImapiError).disconnected === true);
    await s.close();
  } finally {
    await close();
  }
});

/** An emulated drive with its debug log captured, behind a tapped target with its log captured. */
async function emulatedDrive() {
  const driveLog: { msg: string; fields: Record<string, unknown> }[] = [];
  const targetLog: string[] = [];
  const keep = (msg: string, fields?: Record<string, unknown>) => driveLog.push({ msg, fields: fields ?? {} });
  const drive = new MmcDrive({ logger: { debug: keep, info: keep, warn: keep } });
  const t = await tapped({ luns: [drive], logger: (_l, m) => targetLog.push(m) });
  return { drive, driveLog, targetLog, ...t };
}

test('"timeout" fault (the drive never answers): ABORT TASK reaches the target, the command fails with E_IMAPI_RECORDER_COMMAND_TIMEOUT, the session goes on', async () => {
  const { drive, driveLog, targetLog, tap, url, close } = await emulatedDrive();
  try {
    const master = new DiscMaster2({ urls: [url], recorder: { mcnPollMs: 0, commandTimeoutMs: 400 } });
    const rec: DiscRecorder2Ex = await master.openRecorder(url);
    // The first TEST UNIT READY takes the power-on unit attention (a drive reports it before any armed fault).
    await rec.sendCommandNoData(TUR, 1);
    drive.faults.arm({ kind: 'timeout', opcode: 'TEST_UNIT_READY' });
    await assert.rejects(rec.sendCommandNoData(TUR, 0.3), (e: unknown) => ImapiError.is(e, 'E_IMAPI_RECORDER_COMMAND_TIMEOUT') && (e as ImapiError).hresult === 0xc0aa020d);
    const sent = tap.seen.filter((t) => t.dir === 'out' && t.pdu.kind === 'scsi-command' && t.pdu.cdb[0] === 0x00).at(-1)!.pdu as ScsiCommand;
    const tmf = await tap.waitFor((t) => t.dir === 'out' && t.pdu.kind === 'task-mgmt-request');
    assert.deepEqual([(tmf.pdu as { function: number }).function, (tmf.pdu as { referencedTaskTag: number }).referencedTaskTag], [TaskMgmtFunction.ABORT_TASK, sent.itt]);
    assert.equal((tmf.pdu as { refCmdSN: number }).refCmdSN, sent.cmdSN);
    const answer = await tap.waitFor((t) => t.dir === 'in' && t.pdu.kind === 'task-mgmt-response');
    assert.equal((answer.pdu as { response: number }).response, 0, 'FUNCTION COMPLETE');
    assert.ok(targetLog.some((l) => new RegExp(`task management function 1 LUN 0 ref ITT ${sent.itt}`).test(l)), 'the target logged the ABORT TASK');
    for (let i = 0; i < 40 && !driveLog.some((l) => l.msg === 'cdb' && l.fields.op === 'TEST_UNIT_READY' && l.fields.status === 0x40); i++) await sleep(25);
    assert.ok(driveLog.some((l) => l.msg === 'cdb' && l.fields.op === 'TEST_UNIT_READY' && l.fields.status === 0x40), 'the drive saw its command aborted (TASK ABORTED)');
    assert.equal(tap.seen.filter((t) => t.dir === 'in' && t.pdu.kind === 'scsi-response' && t.pdu.itt === sent.itt).length, 0, 'no status for the aborted task');
    // The same session keeps working; a recorder method meets the fault the same way.
    assert.ok((await rec.getSupportedProfiles()).includes(0x09));
    drive.faults.arm({ kind: 'timeout', opcode: 'READ_DISC_INFORMATION' });
    await assert.rejects(rec.getDiscInformation(), (e: unknown) => isHr(0xc0aa020d)(e));
    const rdi = tap.seen.filter((t) => t.dir === 'out' && t.pdu.kind === 'scsi-command' && t.pdu.cdb[0] === 0x51).at(-1)!.pdu as ScsiCommand;
    await tap.waitFor((t) => t.dir === 'out' && t.pdu.kind === 'task-mgmt-request' && t.pdu.referencedTaskTag === rdi.itt);
    assert.equal(rec.vendorId, 'OPENIMAP');
    await rec.close();
  } finally {
    await close();
  }
});

test('an ABORT TASK that gets no answer drops the connection: the session is lost (ERROR_DEV_NOT_EXIST)', async () => {
  const { drive, tap, url, close } = await emulatedDrive();
  try {
    const s = await IscsiSession.connect(url, { keepaliveMs: 0, abortTimeoutMs: 300 });
    await s.execute({ cdb: TUR, direction: 'none', timeoutMs: 5000 }).catch(() => undefined); // power-on unit attention
    tap.drop = (t) => t.dir === 'out' && t.pdu.kind === 'task-mgmt-request';
    drive.faults.arm({ kind: 'timeout', opcode: 'TEST_UNIT_READY' });
    const lost = new Promise<ImapiError>((resolve) => s.once('lost', resolve));
    await assert.rejects(s.execute({ cdb: TUR, direction: 'none', timeoutMs: 200 }), (e: unknown) => isHr(0xc0aa020d)(e));
    assert.match((await lost).message, /ABORT TASK got no answer/);
    await assert.rejects(s.execute({ cdb: TUR, direction: 'none', timeoutMs: 1000 }), (e: unknown) => isHr(DEV_NOT_EXIST)(e));
    await s.close();
  } finally {
    await close();
  }
});

test('"device-gone" fault: the outstanding commands and every later one fail with ERROR_DEV_NOT_EXIST (0x80070037), disconnected', async () => {
  const { drive, target, url, close } = await emulatedDrive();
  // As the emulator CLI wires it: the drive asks the target to drop its sessions.
  dropSessionsWhenGone(target.target, [drive]);
  try {
    const s = await IscsiSession.connect(url, { keepaliveMs: 0 });
    // Take the power-on unit attention first: a drive reports it before any armed fault.
    assert.equal((await s.execute({ cdb: TUR, direction: 'none', timeoutMs: 1000 })).status, 0x02);
    drive.faults.arm({ kind: 'timeout', opcode: 'READ_CAPACITY_10' });
    const hung = s.execute({ cdb: Buffer.from([0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0]), direction: 'in', dataInLength: 8, timeoutMs: 30_000 });
    drive.faults.arm({ kind: 'device-gone', opcode: 'TEST_UNIT_READY' });
    const lost = new Promise<ImapiError>((resolve) => s.once('lost', resolve));
    const gone = s.execute({ cdb: TUR, direction: 'none', timeoutMs: 30_000 });
    for (const p of [hung, gone]) await assert.rejects(p, (e: unknown) => isHr(DEV_NOT_EXIST)(e) && (e as ImapiError).disconnected === true);
    assert.equal((await lost).hresult, DEV_NOT_EXIST);
    for (let i = 0; i < 3; i++) await assert.rejects(s.execute({ cdb: TUR, direction: 'none', timeoutMs: 1000 }), (e: unknown) => isHr(DEV_NOT_EXIST)(e) && (e as ImapiError).disconnected === true);
    await s.close();
  } finally {
    await close();
  }
});

test('device gone on one of two drives drops only its sessions: the other drive\'s session goes on; power off drops every session of that drive', async () => {
  const drives = [new MmcDrive(), new MmcDrive()];
  const target = await startTarget({ port: 0, luns: drives });
  dropSessionsWhenGone(target.target, drives);
  const url = (lun: number) => `iscsi://127.0.0.1:${target.port}/${target.iqn}/${lun}`;
  const ready = async (s: IscsiSession) => void (await s.execute({ cdb: TUR, direction: 'none', timeoutMs: 5000 }).catch(() => undefined)); // power-on UA
  const alive = async (s: IscsiSession) => (await s.execute({ cdb: INQUIRY, direction: 'in', dataInLength: 36, timeoutMs: 5000 })).status === 0;
  try {
    const [a, b, c] = [await IscsiSession.connect(url(0), { keepaliveMs: 0 }), await IscsiSession.connect(url(1), { keepaliveMs: 0 }), await IscsiSession.connect(url(0), { keepaliveMs: 0 })];
    for (const s of [a, b, c]) await ready(s);
    assert.equal(target.target.stats.sessions, 3);

    // The fault hits a's command: a's session drops; c (the same drive, another nexus) and b go on.
    drives[0]!.faults.arm({ kind: 'device-gone', opcode: 'TEST_UNIT_READY' });
    await assert.rejects(a.execute({ cdb: TUR, direction: 'none', timeoutMs: 30_000 }), (e: unknown) => isHr(DEV_NOT_EXIST)(e) && (e as ImapiError).disconnected === true);
    assert.ok(await alive(b), 'the second drive\'s session survives');
    assert.ok(await alive(c), 'another nexus of the faulty drive is not the one the fault hit');
    assert.equal(target.target.stats.sessions, 2);

    // Power off: every session that used LUN 0 drops; the second drive's session still answers.
    const lost = new Promise<ImapiError>((resolve) => c.once('lost', resolve));
    drives[0]!.powerOff();
    assert.equal((await lost).hresult, DEV_NOT_EXIST);
    assert.ok(await alive(b), 'the second drive\'s session survives the power-off of the first');
    assert.equal(target.target.stats.sessions, 1);
    await b.close();
    for (const s of [a, c]) await s.close().catch(() => undefined);
  } finally {
    await target.close();
  }
});

test('RESERVATION CONFLICT from the drive is E_IMAPI_RECORDER_LOCKED (0xC0AA0210)', async () => {
  const { drive, url, close } = await emulatedDrive();
  try {
    const rec = await new DiscMaster2({ urls: [url], recorder: { mcnPollMs: 0 } }).openRecorder(url);
    drive.faults.arm({ kind: 'reservation-conflict', opcode: 'MODE_SENSE_10' });
    await assert.rejects(rec.getModePage(0x2a), (e: unknown) => ImapiError.is(e, 'E_IMAPI_RECORDER_LOCKED') && (e as ImapiError).hresult === 0xc0aa0210);
    drive.faults.arm({ kind: 'reservation-conflict', opcode: 'TEST_UNIT_READY' });
    await assert.rejects(rec.sendCommandNoData(TUR, 5), (e: unknown) => isHr(0xc0aa0210)(e), 'pass-through too: RESERVATION CONFLICT is not sense data');
    await rec.close();
  } finally {
    await close();
  }
});

test('close: Logout (close the session) answered by the target; the drive hears the nexus is gone', async () => {
  const { driveLog, tap, url, close } = await emulatedDrive();
  try {
    const s = await IscsiSession.connect(url, { keepaliveMs: 0 });
    await s.execute({ cdb: INQUIRY, direction: 'in', dataInLength: 36, timeoutMs: 5000 });
    await s.close();
    const req = await tap.waitFor((t) => t.dir === 'out' && t.pdu.kind === 'logout-request');
    assert.equal((req.pdu as { reason: number }).reason, 0, 'reason: close the session');
    const resp = await tap.waitFor((t) => t.dir === 'in' && t.pdu.kind === 'logout-response');
    assert.equal((resp.pdu as { response: number }).response, 0, 'connection or session closed successfully');
    for (let i = 0; i < 40 && !driveLog.some((l) => l.msg === 'nexus lost' && l.fields.nexus === s.initiatorPortName); i++) await sleep(25);
    assert.ok(driveLog.some((l) => l.msg === 'nexus lost' && l.fields.nexus === s.initiatorPortName));
    await assert.rejects(s.execute({ cdb: TUR, direction: 'none', timeoutMs: 1000 }), (e: unknown) => isHr(0x80070006)(e));
  } finally {
    await close();
  }
});

test('CHAP: user:secret@ in the URL logs in (discovery and normal session); a wrong secret or none is refused; mutual CHAP checks the target', async () => {
  const chap = { user: 'burner', secret: 'correct horse battery', mutualUser: 'iqn.2026-11.org.openimapi:emulator', mutualSecret: 'target secret 12' };
  const target = await startTarget({ port: 0, luns: [new MmcDrive()], chap });
  try {
    const base = `${target.host}:${target.port}/${target.iqn}/0`;
    const good = `iscsi://burner:${encodeURIComponent(chap.secret)}@${base}`;
    const s = await IscsiSession.connect(good, { keepaliveMs: 0 });
    assert.equal(s.id, `iscsi://${base}`, 'the id carries no credentials');
    await s.close();
    const refused = (e: unknown) => isHr(DEV_NOT_EXIST)(e) && /authentication failure/.test((e as Error).message);
    await assert.rejects(IscsiSession.connect(`iscsi://burner:wrong@${base}`, { keepaliveMs: 0 }), refused);
    await assert.rejects(IscsiSession.connect(`iscsi://${base}`, { keepaliveMs: 0 }), (e: unknown) => isHr(DEV_NOT_EXIST)(e));
    const m = await IscsiSession.connect(good, { keepaliveMs: 0, mutualChap: { user: chap.mutualUser, secret: chap.mutualSecret } });
    await m.close();
    await assert.rejects(IscsiSession.connect(good, { keepaliveMs: 0, mutualChap: { user: chap.mutualUser, secret: 'not the target secret' } }), (e: unknown) => isHr(DEV_NOT_EXIST)(e) && /mutual CHAP/.test((e as Error).message));
    // A portal with credentials: SendTargets and REPORT LUNS both log in with them.
    const master = new DiscMaster2({ portals: [`iscsi://burner:${encodeURIComponent(chap.secret)}@${target.host}:${target.port}`] });
    assert.deepEqual(await master.recorders(), [`iscsi://${base}`]);
    const rec = await master.openRecorder(`iscsi://${base}`);
    assert.equal(rec.productId, 'EMU-BURNER');
    await rec.close();
  } finally {
    await target.close();
  }
});

test('CRC32C header and data digests when offered; the session works with them', async () => {
  const target = await startTarget({ port: 0, luns: [new MmcDrive()] });
  try {
    const s = await IscsiSession.connect(target.urls[0]!, { keepaliveMs: 0, digests: true });
    assert.deepEqual([s.negotiated.params.headerDigest, s.negotiated.params.dataDigest], ['CRC32C', 'CRC32C']);
    const r = await s.execute({ cdb: INQUIRY, direction: 'in', dataInLength: 36, timeoutMs: 5000 });
    assert.equal(r.dataIn.subarray(8, 16).toString('latin1'), 'OPENIMAP');
    await s.close();
  } finally {
    await target.close();
  }
});
