// Nothing lost, with a real process kill: the openimapi-emulator CLI burns a CD-R in its --data-dir
// over iSCSI; it is SIGKILLed while WRITEs are still coming, started again on the same --data-dir,
// and its drive holds the disc as a real drive would after a power cut: track 1 closed, track 2
// incomplete with every acknowledged WRITE on it, the disc appendable at the NWA right after the last
// recorded block. Burning then goes on and the disc closes; everything reads back byte for byte. The
// finished disc exports as .bin/.cue (CLI `export` and the control API), and the .cue loads back as a
// CD-ROM with the same TOC and sectors (and, when cdrdao is installed, cdrdao parses it too).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CloseFunction,
  DiscMaster2,
  ModePageCode,
  decodeModeSense10Reply,
  decodeTrackInformationReply,
  encodeCloseTrackSessionCdb,
  encodeModeSelect10Cdb,
  encodeModeSelect10Parameters,
  encodeModeSense10Cdb,
  encodeRead10Cdb,
  encodeReadTrackInformationCdb,
  encodeSynchronizeCache10Cdb,
  encodeWrite10Cdb,
  type DiscRecorder2Ex,
  type WriteParametersPage,
} from '@openimapi/sdk';
import { loadMedium } from '../media/index.js';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli.js');

interface Emulator { child: ChildProcess; url: string; control: string; exited: Promise<unknown> }

async function start(args: string[]): Promise<Emulator> {
  const child = spawn(process.execPath, [cli, '--port', '0', '--control-port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  let err = '';
  child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    child.once('exit', (code) => reject(new Error(`emulator exited ${code}: ${err}`)));
  });
  const control = /control API on (http:\/\/\S+)/.exec(err)?.[1];
  assert.ok(control, err);
  return { child, url, control, exited };
}

/** Block `i` of the test's data: every block different. */
function block(i: number): Buffer {
  const b = Buffer.alloc(2048);
  for (let k = 0; k < 2048; k += 4) b.writeUInt32BE((Math.imul(i + 1, 2654435761) + k) >>> 0, k);
  return b;
}
const blocks = (from: number, n: number) => Buffer.concat(Array.from({ length: n }, (_, k) => block(from + k)));

async function taoMode1(rec: DiscRecorder2Ex): Promise<void> {
  const sense = await rec.device.run({ cdb: encodeModeSense10Cdb({ llbaa: false, dbd: true, pageControl: 0, pageCode: ModePageCode.WRITE_PARAMETERS, subpageCode: 0, allocationLength: 0xff }), direction: 'in', dataInLength: 0xff });
  const wp = decodeModeSense10Reply(sense.dataIn).pages[0] as WriteParametersPage;
  const data = encodeModeSelect10Parameters({ mediumType: 0, deviceSpecificParameter: 0, longLba: false, blockDescriptors: Buffer.alloc(0), pages: [{ ...wp, writeType: 1, dataBlockType: 8, trackMode: 4, multiSession: 3 }] });
  await rec.device.run({ cdb: encodeModeSelect10Cdb({ pf: true, sp: false, parameterListLength: data.length }), direction: 'out', dataOut: data });
}

const write = (rec: DiscRecorder2Ex, lba: number, first: number, n: number) =>
  rec.device.run({ cdb: encodeWrite10Cdb({ lba, transferLength: n }), direction: 'out', dataOut: blocks(first, n) });
const read = async (rec: DiscRecorder2Ex, lba: number, n: number) =>
  (await rec.device.run({ cdb: encodeRead10Cdb({ lba, transferLength: n }), direction: 'in', dataInLength: n * 2048 })).dataIn;
const invisible = async (rec: DiscRecorder2Ex) =>
  decodeTrackInformationReply((await rec.device.run({ cdb: encodeReadTrackInformationCdb({ open: false, addressType: 1, address: 0xff, allocationLength: 48 }), direction: 'in', dataInLength: 48 })).dataIn);

test('SIGKILL of the emulator mid-burn, restart on the same --data-dir: an incomplete session with every acknowledged write; burning goes on; .bin/.cue export', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'openimapi-crash-'));
  const discs = join(dir, 'discs');
  let emu: Emulator | undefined = await start(['--media', 'cd-r', '--data-dir', discs]);
  try {
    let rec = await new DiscMaster2({ urls: [emu.url], recorder: { mcnPollMs: 0 } }).openRecorder(emu.url);
    await taoMode1(rec);
    await write(rec, 0, 0, 20);
    await rec.device.run({ cdb: encodeSynchronizeCache10Cdb({ immed: false, lba: 0, numberOfBlocks: 0 }), direction: 'none' });
    await rec.device.run({ cdb: encodeCloseTrackSessionCdb({ immed: false, closeFunction: CloseFunction.CLOSE_TRACK, trackNumber: 1 }), direction: 'none' });
    const t2 = (await invisible(rec)).nextWritableAddress;
    assert.equal(t2, 20 + 2 + 150, 'track 2 after the run-out and pregap');
    let acked = 0;
    for (; acked < 40; acked++) await write(rec, t2 + acked * 16, 1000 + acked * 16, 16);
    // One more WRITE on its way as the process dies.
    const inFlight = write(rec, t2 + acked * 16, 1000 + acked * 16, 16).catch((e: unknown) => e);
    emu.child.kill('SIGKILL');
    await emu.exited;
    await inFlight;
    await rec.close().catch(() => undefined);

    // Restart: no --media, the drive holds the disc it had.
    emu = await start(['--data-dir', discs]);
    const st = (await (await fetch(`${emu.control}/state`)).json()) as { drives: { medium: { kind: string; state: string; tracks: { number: number; start: number; size: number; incomplete: boolean; blank: boolean }[] } }[] };
    const m = st.drives[0]!.medium;
    assert.equal(m.kind, 'cd-r');
    assert.equal(m.state, 'appendable');
    rec = await new DiscMaster2({ urls: [emu.url], recorder: { mcnPollMs: 0 } }).openRecorder(emu.url);
    const open = await invisible(rec);
    assert.equal(open.trackNumber, 2);
    const recorded = open.nextWritableAddress - t2;
    assert.ok(recorded === 40 * 16 || recorded === 41 * 16, `every acknowledged WRITE is on the disc, the one in flight whole or not at all (${recorded} blocks)`);
    assert.ok(m.tracks.find((t) => t.number === 2)!.incomplete, 'track 2 is incomplete, as after a power cut');
    assert.ok((await read(rec, 0, 20)).equals(blocks(0, 20)), 'track 1');
    for (let c = 0; c < recorded / 16; c++) assert.ok((await read(rec, t2 + c * 16, 16)).equals(blocks(1000 + c * 16, 16)), `chunk ${c}`);
    // Burning goes on where the disc says, and the session closes.
    await taoMode1(rec);
    await write(rec, open.nextWritableAddress, 1000 + recorded, 16);
    await rec.device.run({ cdb: encodeSynchronizeCache10Cdb({ immed: false, lba: 0, numberOfBlocks: 0 }), direction: 'none' });
    await rec.device.run({ cdb: encodeCloseTrackSessionCdb({ immed: false, closeFunction: CloseFunction.CLOSE_SESSION, trackNumber: 0 }), direction: 'none' });
    assert.ok((await read(rec, t2, recorded + 16)).equals(blocks(1000, recorded + 16)));

    // Export through the control API; the .cue names the .bin and both tracks.
    const r = await fetch(`${emu.control}/drives/0/export`, { method: 'POST', body: JSON.stringify({ dir: join(dir, 'api'), name: 'burned' }) });
    assert.equal(r.status, 200);
    const api = (await r.json()) as { bin: string; cue: string };
    await rec.close();
    emu.child.kill('SIGTERM');
    await emu.exited;
    emu = undefined;

    // The same through the CLI from the saved disc; both exports are identical.
    const saved = readdirSync(join(discs, 'drive0')).find((f) => f.endsWith('.json') && f !== 'tray.json')!;
    const ex = spawnSync(process.execPath, [cli, 'export', join(discs, 'drive0', saved), '--out', join(dir, 'cli'), '--name', 'burned'], { encoding: 'utf8' });
    assert.equal(ex.status, 0, ex.stderr);
    const [bin, cue] = ex.stdout.trim().split('\n');
    assert.deepEqual(readFileSync(bin!), readFileSync(api.bin));
    assert.equal(readFileSync(cue!, 'utf8'), readFileSync(api.cue, 'utf8'));
    const cueText = readFileSync(cue!, 'utf8');
    assert.match(cueText, /^FILE "burned\.bin" BINARY$/m);
    assert.match(cueText, /^ {2}TRACK 01 MODE1\/2352\n {4}INDEX 01 00:00:00$/m);
    assert.match(cueText, /^ {2}TRACK 02 MODE1\/2352\n {4}INDEX 00 00:00:22\n {4}INDEX 01 00:02:22$/m, 'track 2: pregap at LBA 22, start at 172');
    // The .cue loads as a CD-ROM with the same tracks and sectors.
    const rom = loadMedium(cue!);
    try {
      assert.deepEqual(rom.toc().descriptors.map((d) => [d.track, d.lba]).slice(0, 2), [[1, 0], [2, t2]]);
      assert.ok(rom.read(0, 20).equals(blocks(0, 20)));
      assert.ok(rom.read(t2, recorded + 16).equals(blocks(1000, recorded + 16)));
    } finally {
      rom.close();
    }
    if (spawnSync('sh', ['-c', 'command -v cdrdao'], { stdio: 'ignore' }).status === 0) {
      const show = spawnSync('cdrdao', ['show-toc', cue!], { encoding: 'utf8', cwd: dirname(cue!) });
      assert.equal(show.status, 0, `cdrdao parses the .cue: ${show.stderr}`);
      assert.match(show.stdout, /^TRACK\s+2\s+Mode MODE1_RAW:$/m);
      assert.match(show.stdout, /^\s+START\s+00:02:22\(\s*172\)$/m, 'cdrdao finds track 2 where the disc had it');
    }
    rmSync(dir, { recursive: true, force: true });
  } finally {
    if (emu) {
      emu.child.kill('SIGKILL');
      await emu.exited;
    }
  }
});
