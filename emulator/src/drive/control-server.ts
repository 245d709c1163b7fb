/**
 * The control plane: an HTTP/JSON API on loopback (node:http only), separate from the data path.
 *
 *   GET    /state                      every drive's state (tray, medium, sessions/tracks, reservations
 *                                      with holder names, armed faults, pending unit attentions)
 *   GET    /drives/:n/state            one drive's state
 *   POST   /drives/:n/faults           arm a fault: {"kind":"no-media","count":2,"opcode":"WRITE_10"}
 *                                      → 201 {"id":..}; a list of specs arms several
 *   DELETE /drives/:n/faults           disarm all (or ?id=N one) → {"removed":k}
 *   POST   /drives/:n/load             {"media":"cd-rw"} or {"file":"/path/disc.json|.iso|.bin"}
 *   POST   /drives/:n/eject            opens the tray, the disc stays on it (START STOP UNIT's eject);
 *                                      {"force":true} to eject despite PREVENT
 *   POST   /drives/:n/close-tray       closes the tray; a disc on it is loaded again
 *   POST   /drives/:n/remove           ejects and takes the disc off the tray (open and empty after);
 *                                      {"force":true} as for eject
 *   POST   /drives/:n/export           {"dir":"/out","name":"disc"}: the CD in the drive as disc.bin +
 *                                      disc.cue → {"bin":..,"cue":..}
 *   GET    /drives/:n/capabilities     what the drive records (capabilities.ts): {"sao":true,"raw":true,
 *                                      "rawMultiSession":true,"rwSubcode":true,"testWrite":true}
 *   POST   /drives/:n/capabilities     switch some on or off, e.g. {"rwSubcode":false} (keys not given
 *                                      keep their value; an unknown key or a non-boolean is 400 and
 *                                      changes nothing) → the capabilities now
 *   DELETE /drives/:n/capabilities     back to the defaults (all on) → the capabilities now
 *
 * Errors are JSON {"error": message}: 400 for bad JSON or arguments, 404 for an unknown route or
 * drive, 409 when the drive refuses (eject while prevented), 500 otherwise. A request never crashes
 * the process.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CheckCondition, describeSense } from '@openimapi/sdk';
import type { MmcDrive } from './mmc-drive.js';
import type { FaultSpec } from './faults.js';

const MAX_BODY = 64 * 1024;

export interface ControlServer {
  readonly server: Server;
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startControlServer(drives: readonly MmcDrive[], opts: { host?: string; port?: number } = {}): Promise<ControlServer> {
  const server = createServer((req, res) => {
    handle(drives, req, res).catch((e: unknown) => reply(res, 500, { error: e instanceof Error ? e.message : String(e) }));
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body, (_k, v) => (typeof v === 'bigint' ? v.toString() : v === Infinity ? 'infinity' : v));
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, `request body larger than ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new HttpError(400, `bad JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function object(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new HttpError(400, `${what}: expected a JSON object`);
  return v as Record<string, unknown>;
}

async function handle(drives: readonly MmcDrive[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://control');
  const parts = url.pathname.split('/').filter(Boolean);
  const method = req.method ?? 'GET';
  try {
    if (parts.length === 1 && parts[0] === 'state' && method === 'GET') {
      return reply(res, 200, { drives: drives.map((d) => d.describe()) });
    }
    if (parts[0] !== 'drives' || parts.length < 3) throw new HttpError(404, `no route ${method} ${url.pathname}`);
    const n = Number(parts[1]);
    const drive = Number.isInteger(n) ? drives[n] : undefined;
    if (!drive) throw new HttpError(404, `no drive ${parts[1]} (there are ${drives.length})`);
    const route = `${method} ${parts.slice(2).join('/')}`;
    switch (route) {
      case 'GET state':
        return reply(res, 200, drive.describe());
      case 'POST faults': {
        const body = await readJson(req);
        const specs = Array.isArray(body) ? body : [body];
        // Validate every spec before arming any.
        const checked = specs.map((s, i) => object(s, `fault ${i}`));
        const ids: number[] = [];
        const armedNow: number[] = [];
        try {
          for (const s of checked) {
            const f = drive.faults.arm(s as unknown as FaultSpec);
            armedNow.push(f.id);
            ids.push(f.id);
          }
        } catch (e) {
          for (const id of armedNow) drive.faults.disarm(id);
          throw e;
        }
        return reply(res, 201, { ids, faults: drive.faults.describe() });
      }
      case 'DELETE faults': {
        const id = url.searchParams.get('id');
        if (id !== null && !/^\d+$/.test(id)) throw new HttpError(400, `id: "${id}" is not a number`);
        return reply(res, 200, { removed: drive.faults.disarm(id === null ? undefined : Number(id)) });
      }
      case 'POST load': {
        const body = object(await readJson(req), 'load');
        if (typeof body.media === 'string') drive.load({ media: body.media });
        else if (typeof body.file === 'string') drive.load({ file: body.file });
        else throw new HttpError(400, 'load: give {"media": kind} or {"file": path}');
        return reply(res, 200, drive.describe());
      }
      case 'POST eject':
      case 'POST remove': {
        const verb = route === 'POST remove' ? 'remove' : 'eject';
        const body = object(await readJson(req), verb);
        if (verb === 'remove') drive.remove({ force: body.force === true });
        else drive.eject({ force: body.force === true });
        return reply(res, 200, drive.describe());
      }
      case 'POST export': {
        const body = object(await readJson(req), 'export');
        if (typeof body.dir !== 'string' || body.dir === '') throw new HttpError(400, 'export: give {"dir": path} (and optionally "name")');
        if (body.name !== undefined && typeof body.name !== 'string') throw new HttpError(400, 'export: "name" must be a string');
        return reply(res, 200, drive.exportBinCue(body.dir, body.name));
      }
      case 'GET capabilities':
        return reply(res, 200, drive.capabilities);
      case 'POST capabilities':
        return reply(res, 200, drive.setCapabilities(await readJson(req)));
      case 'DELETE capabilities':
        await readJson(req);
        return reply(res, 200, drive.resetCapabilities());
      case 'POST close-tray':
        await readJson(req);
        drive.closeTray();
        return reply(res, 200, drive.describe());
      default:
        throw new HttpError(404, `no route ${method} ${url.pathname}`);
    }
  } catch (e) {
    if (e instanceof HttpError) return reply(res, e.status, { error: e.message });
    if (e instanceof TypeError) return reply(res, 400, { error: e.message });
    if (e instanceof CheckCondition) return reply(res, 409, { error: e.message, sense: describeSense(e) });
    throw e;
  }
}
