import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMedium, exportBinCue, loadMedium } from './index.js';
import { audioTao, dataTao, pattern, senseOf } from './testing/context.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'media-persist-'));

test('a burned disc survives close and load: sessions, tracks, NWA, data; burning continues after the load', () => {
  const dir = tmp();
  try {
    const m = createMedium('cd-r', { dataDir: dir, name: 'disc1' });
    m.write(0, pattern(40, 2048, 1), dataTao());
    m.closeTrack(1);
    m.write(m.nextWritableAddress()!, pattern(10, 2352, 2), audioTao());
    m.closeSession(true);
    const before = { tracks: m.tracks(), di: m.discInformation(), toc: m.toc(), full: m.fullToc() };
    m.close();
    assert.ok(fs.existsSync(path.join(dir, 'disc1.img')) && fs.existsSync(path.join(dir, 'disc1.json')));
    assert.ok(!fs.existsSync(path.join(dir, 'disc1.json.tmp')), 'no temp file left behind');
    const l = loadMedium(path.join(dir, 'disc1.json'));
    assert.equal(l.kind, 'cd-r');
    assert.deepEqual({ tracks: l.tracks(), di: l.discInformation(), toc: l.toc(), full: l.fullToc() }, before);
    assert.deepEqual(l.read(0, 40), pattern(40, 2048, 1));
    const nwa = l.nextWritableAddress()!;
    l.write(nwa, pattern(5, 2048, 3), dataTao());
    l.closeSession(false);
    l.close();
    const again = loadMedium(path.join(dir, 'disc1'));
    assert.equal(again.state, 'complete');
    assert.deepEqual(again.read(nwa, 5), pattern(5, 2048, 3));
    again.close();
    assert.throws(() => createMedium('cd-r', { dataDir: dir, name: 'disc1' }), TypeError, 'never overwrites a disc');
    fs.renameSync(path.join(dir, 'disc1.img'), path.join(dir, 'moved.img'));
    assert.throws(() => loadMedium(path.join(dir, 'disc1.json')), /missing/, 'a state file without its image is refused, not emptied');
    assert.ok(!fs.existsSync(path.join(dir, 'disc1.img')));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('SIGKILL mid-burn leaves a loadable disc whose last session is incomplete, with every completed write', async () => {
  const dir = tmp();
  try {
    const child = spawn(process.execPath, [fileURLToPath(new URL('./testing/crash-child.js', import.meta.url)), dir, 'crash'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    let nwa = -1;
    let lastWritten = -1;
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        const m = /nwa (\d+)/.exec(out);
        if (m) nwa = Number(m[1]);
        const all = [...out.matchAll(/written (\d+)/g)];
        if (all.length) lastWritten = Number(all[all.length - 1]![1]);
        if (lastWritten >= 40) child.kill('SIGKILL');
      });
      child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited ${code} ${signal}`))));
    });
    assert.equal(nwa, 172, 'track 2 after 20 + 2 run-out + 150 pregap');
    // A torn sector (the kill landing inside a write) must not count as recorded.
    fs.appendFileSync(path.join(dir, 'crash.img'), Buffer.alloc(1000, 0xee));
    const m = loadMedium(path.join(dir, 'crash.json'));
    assert.equal(m.state, 'appendable');
    const di = m.discInformation();
    assert.equal(di.discStatus, 'incomplete');
    assert.equal(di.lastSessionState, 'incomplete');
    const t2 = m.trackInformation(1, 2);
    assert.ok(t2.incomplete && !t2.blank);
    const chunks = Math.floor((t2.nextWritable! - nwa) / 16);
    assert.ok(chunks >= lastWritten + 1, `every reported write is on the disc (${chunks} ≥ ${lastWritten + 1})`);
    for (let i = 0; i < chunks; i += 7) assert.deepEqual(m.read(nwa + i * 16, 16), pattern(16, 2048, 100 + i), `chunk ${i}`);
    assert.deepEqual(m.read(0, 20), pattern(20, 2048, 1));
    // Burning goes on where the drive says, and the session closes.
    m.write(t2.nextWritable!, pattern(1, 2048, 9), dataTao());
    m.closeSession(false);
    assert.equal(m.state, 'complete');
    assert.equal(m.toc().descriptors.length, 3);
    m.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('loadMedium: .iso as CD-ROM, .bin and .cue as CD-ROM, all write-protected; exportBinCue round trip', () => {
  const dir = tmp();
  try {
    const iso = path.join(dir, 'small.iso');
    fs.writeFileSync(iso, pattern(30, 2048, 4));
    const r = loadMedium(iso);
    assert.deepEqual([r.kind, r.profile, r.state], ['cd-rom', 0x08, 'complete']);
    assert.deepEqual(r.read(0, 30), pattern(30, 2048, 4));
    assert.deepEqual(r.capacity(), { lastLba: 29, blockLength: 2048 });
    assert.deepEqual(r.toc().descriptors.map((d) => [d.track, d.lba, d.control]), [[1, 0, 4], [0xaa, 30, 4]]);
    const raw = r.readCd(3, 1, { sectorType: 2, sync: true, headerCodes: 1, userData: true, edcEcc: false, c2: 0, subChannel: 0 });
    assert.deepEqual([...raw.subarray(12, 16)], [0x00, 0x02, 0x03, 0x01]);
    assert.equal(senseOf(() => r.write(30, Buffer.alloc(2048), dataTao())), '07/27/00');
    assert.equal(senseOf(() => r.blank(0)), '07/27/00');
    r.close();

    // Burn a TAO disc with an audio and a data track, export it, load the .cue.
    const m = createMedium('cd-r');
    m.write(0, pattern(100, 2352, 5), audioTao());
    m.closeTrack(1);
    m.write(250, pattern(20, 2048, 6), dataTao());
    m.closeSession(false);
    const { bin, cue } = exportBinCue(m, dir, 'out');
    assert.equal(fs.statSync(bin).size, 272 * 2352);
    assert.match(fs.readFileSync(cue, 'utf8'), /TRACK 01 AUDIO\n    INDEX 01 00:00:00\n  TRACK 02 MODE1\/2352\n    INDEX 00 00:01:25\n    INDEX 01 00:03:25/);
    const l = loadMedium(cue);
    assert.equal(l.kind, 'cd-rom');
    assert.deepEqual(l.toc().descriptors.map((d) => [d.track, d.lba, d.control]), [[1, 0, 0], [2, 250, 4], [0xaa, 272, 4]]);
    assert.deepEqual(l.read(250, 20), pattern(20, 2048, 6));
    const SEL = { sectorType: 1, sync: true, headerCodes: 3, userData: true, edcEcc: true, c2: 0, subChannel: 0 };
    assert.deepEqual(l.readCd(0, 100, SEL), pattern(100, 2352, 5));
    l.close();
    const b = loadMedium(bin);
    assert.equal(b.tracks()[0]!.mode, 'audio', 'a .bin without cue whose first sector has no sync is audio');
    b.close();

    assert.throws(() => loadMedium(path.join(dir, 'nothing.img')), TypeError);
    fs.writeFileSync(path.join(dir, 'odd.iso'), Buffer.alloc(1000));
    assert.throws(() => loadMedium(path.join(dir, 'odd.iso')), TypeError);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
