/**
 * Shared by the format tests that burn over the real iSCSI target: an emulated burner served on a free
 * loopback port, a recorder opened through DiscMaster2, read-back commands (READ TOC, READ CD with
 * sub-channel, READ(10), disc status), files (generated WAV, raw images) and the openimapi CLI run as a
 * child process.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DiscMaster2,
  ImapiError,
  encodeReadTocCdb,
  decodeTocReply,
  encodeReadCdCdb,
  encodeRead10Cdb,
  encodeReadDiscInformationCdb,
  decodeDiscInformationReply,
  encodeStartStopUnitCdb,
  type DiscRecorder2Ex,
} from '@openimapi/sdk';
import { createDrives, type MmcDrive } from '../drive/index.js';
import { startTarget, type StartedTarget } from '../iscsi/target.js';
import type { GenImage } from '../media/testing/dao96.js';
import { wavFile } from '../media/testing/wav.js';

export const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'sdk', 'dist', 'cli', 'openimapi.js');

/** A predicate for assert.rejects/throws: an ImapiError with this HRESULT name. */
export const hr = (name: string) => (e: unknown) => e instanceof ImapiError && e.hresultName === name;

/** Deterministic bytes that differ per seed and per KiB. */
export function pattern(bytes: number, seed: number): Buffer {
  const b = Buffer.alloc(bytes);
  for (let i = 0; i < b.length; i++) b[i] = (i * 29 + seed * 17 + (i >> 10)) & 0xff;
  return b;
}

export interface Served {
  t: StartedTarget;
  url: string;
  drive: MmcDrive;
}

/** One emulated burner with `media` (a kind, or `{ load }` an image file), served over iSCSI on 127.0.0.1 at a free port. */
export async function serve(media: string | { load: string }, opts: { speedModel?: 'realistic'; timeScale?: number } = {}): Promise<Served> {
  const [drive] = createDrives({ ...(typeof media === 'string' ? { media } : media), becomingReadyMs: 0, ...opts });
  const t = await startTarget({ host: '127.0.0.1', port: 0, luns: [drive!] });
  return { t, url: t.urls[0]!, drive: drive! };
}

export async function open(url: string): Promise<DiscRecorder2Ex> {
  return new DiscMaster2({ urls: [url], recorder: { mcnPollMs: 0 } }).openRecorder(url);
}

/** READ TOC format 0000b (LBA): the reply's bytes and their decoding. */
export async function toc(rec: DiscRecorder2Ex) {
  let bytes = Buffer.alloc(0);
  const decoded = await rec.device.read({
    cdb: (n) => encodeReadTocCdb({ msf: false, format: 0, trackSessionNumber: 0, allocationLength: n }),
    allocationLength: 4,
    decode: (b) => ((bytes = Buffer.from(b)), decodeTocReply(b, { msf: false })),
  });
  return { bytes, ...decoded };
}

/** READ CD of `n` sectors: main channel as audio (2352, user data), or sync+headers+user+EDC/ECC for any type; `sub` 0 none, 1 raw P-W (96), 2 formatted Q (16). */
export async function readCd(rec: DiscRecorder2Ex, lba: number, n: number, opts: { audio?: boolean; sub?: 0 | 1 | 2 } = {}): Promise<Buffer> {
  const audio = opts.audio ?? true;
  const sub = opts.sub ?? 0;
  const per = 2352 + (sub === 1 ? 96 : sub === 2 ? 16 : 0);
  const cdb = audio
    ? encodeReadCdCdb({ expectedSectorType: 1, dap: false, lba, transferLength: n, sync: false, headerCodes: 0, userData: true, edcEcc: false, c2ErrorInformation: 0, subChannel: sub })
    : encodeReadCdCdb({ expectedSectorType: 0, dap: false, lba, transferLength: n, sync: true, headerCodes: 3, userData: true, edcEcc: true, c2ErrorInformation: 0, subChannel: sub });
  return (await rec.device.run({ cdb, direction: 'in', dataInLength: n * per })).dataIn;
}

export async function read10(rec: DiscRecorder2Ex, lba: number, count: number): Promise<Buffer> {
  const out: Buffer[] = [];
  for (let i = 0; i < count; i += 256) {
    const n = Math.min(256, count - i);
    out.push((await rec.device.run({ cdb: encodeRead10Cdb({ lba: lba + i, transferLength: n }), direction: 'in', dataInLength: n * 2048 })).dataIn);
  }
  return Buffer.concat(out);
}

/** READ DISC INFORMATION: disc status (0 empty, 1 incomplete, 2 finalized) and state of the last session. */
export async function discInfo(rec: DiscRecorder2Ex) {
  return rec.device.read({ cdb: (n) => encodeReadDiscInformationCdb({ dataType: 0, allocationLength: n }), allocationLength: 34, decode: decodeDiscInformationReply });
}

/**
 * Proves a drive is free: a second client (its own iSCSI session) takes exclusive access and ejects
 * the disc — which fails while the first client still holds the drive or keeps the tray locked.
 */
export async function anotherClientEjects(url: string, who: string): Promise<void> {
  const other = await open(url);
  try {
    await other.acquireExclusiveAccess(false, who);
    await other.device.exec(encodeStartStopUnitCdb({ immed: false, powerCondition: 0, loej: true, start: false }));
    await other.releaseExclusiveAccess();
  } finally {
    await other.close();
  }
}

/** Writes a generated DAO-96 image to `dir/name`. */
export function writeImage(dir: string, gen: GenImage, name = 'image.bin'): string {
  const path = join(dir, name);
  const fd = openSync(path, 'w');
  for (let i = 0; i < gen.sectors; i += 256) {
    const n = Math.min(256, gen.sectors - i);
    writeSync(fd, Buffer.concat(Array.from({ length: n }, (_, k) => gen.block(i + k))));
  }
  closeSync(fd);
  return path;
}

/** A canonical 44-byte-header PCM WAV file (16-bit, 44.1 kHz; stereo unless told). */
export function wav(path: string, pcm: Buffer, channels = 2): void {
  writeFileSync(path, wavFile(pcm, channels));
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  stdout: string;
}

/** Runs the openimapi CLI; `onStderr` sees the stderr so far and may signal the child. */
export function cli(args: string[], onStderr?: (text: string, kill: (sig: NodeJS.Signals) => void) => void): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      onStderr?.(stderr, (s) => child.kill(s));
    });
    child.on('exit', (code, signal) => resolve({ code, signal, stderr, stdout }));
  });
}

/** Asserts a CLI run ended with `code`, showing its stderr otherwise. */
export function exited(r: CliRun, code: number): void {
  assert.equal(r.code, code, `exit ${r.code} (signal ${r.signal}); stderr:\n${r.stderr}`);
}
