/**
 * A separate client process for the exclusive-access tests: its own iSCSI session to the drive.
 * argv: <recorder url> <initiator name>. Reads one command per stdin line — `acquire <clientName>`,
 * `acquire-force <clientName>`, `release`, `owner`, `count`, `method`, `close` — and prints one JSON
 * line per command: {"ok":true,"value":…} or {"ok":false,"hresult":"0x…","name":"…"}.
 */
import { createInterface } from 'node:readline';
import { DiscMaster2, ImapiError } from '@openimapi/sdk';

const [url, initiatorName] = process.argv.slice(2);
const master = new DiscMaster2({ urls: [url!], session: { initiatorName: initiatorName! }, recorder: { mcnPollMs: 0 } });
const rec = await master.openRecorder((await master.recorders())[0]!);
process.stdout.write(JSON.stringify({ ok: true, value: 'ready' }) + '\n');

for await (const line of createInterface({ input: process.stdin })) {
  const [cmd, ...rest] = line.trim().split(' ');
  try {
    let value: unknown = null;
    if (cmd === 'acquire' || cmd === 'acquire-force') await rec.acquireExclusiveAccess(cmd === 'acquire-force', rest.join(' '));
    else if (cmd === 'release') await rec.releaseExclusiveAccess();
    else if (cmd === 'owner') value = await rec.getExclusiveAccessOwner();
    else if (cmd === 'count') value = rec.exclusiveAccessCount;
    else if (cmd === 'method') value = rec.exclusiveAccessMethod ?? null;
    else if (cmd === 'close') {
      await rec.close();
      process.stdout.write(JSON.stringify({ ok: true, value: 'closed' }) + '\n');
      process.exit(0);
    } else throw new TypeError(`unknown command ${cmd}`);
    process.stdout.write(JSON.stringify({ ok: true, value }) + '\n');
  } catch (e) {
    const err = e as ImapiError;
    process.stdout.write(JSON.stringify({ ok: false, hresult: '0x' + (err.hresult ?? 0).toString(16).toUpperCase(), name: err.hresultName ?? String(e) }) + '\n');
  }
}
