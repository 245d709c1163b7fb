/**
 * Example: list the recorders behind iSCSI portals or URLs (or this host's drives), show each one's
 * media and who holds it, optionally eject.
 *
 *   node sdk/dist/examples/list-drives.js iscsi://127.0.0.1:3260 [--eject]
 *   node sdk/dist/examples/list-drives.js iscsi://127.0.0.1:3260/iqn.2026-11.org.openimapi:emulator/0
 *   node sdk/dist/examples/list-drives.js --local          # this host's drives (@openimapi/native)
 *
 * Exit code: 0, or 2 for bad arguments.
 */
import { DiscMaster2, ImapiError, DiscStatus, profileName, type DiscRecorder2Ex } from '../index.js';

const DISC_STATUS: Record<number, string> = { [DiscStatus.EMPTY]: 'blank', [DiscStatus.INCOMPLETE]: 'appendable', [DiscStatus.FINALIZED]: 'finalized', [DiscStatus.OTHER]: 'not recordable' };

async function describeMedia(rec: DiscRecorder2Ex): Promise<string> {
  const current = await rec.getCurrentProfiles();
  if (current.length === 0) return 'none';
  const disc = await rec.getDiscInformation().catch(() => undefined);
  return `${current.map(profileName).join(', ')}${disc ? ` (${DISC_STATUS[disc.discStatus] ?? `disc status ${disc.discStatus}`})` : ''}`;
}

async function main(args: string[]): Promise<void> {
  const eject = args.includes('--eject');
  const local = args.includes('--local');
  const sources = args.filter((a) => a.startsWith('iscsi://'));
  const unknown = args.filter((a) => !a.startsWith('iscsi://') && a !== '--eject' && a !== '--local');
  if ((sources.length === 0 && !local) || unknown.length) {
    console.error('usage: list-drives <iscsi://portal | iscsi://host/iqn/lun>... [--local] [--eject]');
    process.exitCode = 2;
    return;
  }
  const isRecorderUrl = (s: string) => /\/[^/]+\/\d+$/.test(s);
  const master = new DiscMaster2({ portals: sources.filter((s) => !isRecorderUrl(s)), urls: sources.filter(isRecorderUrl), local, recorder: { mcnPollMs: 0 } });
  const ids = await master.recorders();
  if (ids.length === 0) console.log('no recorders found');
  for (const id of ids) {
    let rec: DiscRecorder2Ex | undefined;
    try {
      rec = await master.openRecorder(id);
      console.log(`${id}\n  ${rec.vendorId} ${rec.productId} ${rec.productRevision}`);
      console.log(`  profiles: ${(await rec.getSupportedProfiles()).sort((a, b) => a - b).map(profileName).join(', ')}`);
      console.log(`  media: ${await describeMedia(rec)}`);
      // Another client (process, host) holding exclusive access is named by the client name it took it with.
      const owner = await rec.getExclusiveAccessOwner();
      if (owner) console.log(`  in use by: ${owner}`);
      if (eject) {
        await rec.ejectMedia();
        console.log('  ejected');
      }
    } catch (e) {
      console.log(`${rec ? '' : `${id}\n`}  error: ${e instanceof ImapiError ? `${e.hresultName} — ${e.message}` : String(e)}`);
    } finally {
      await rec?.close();
    }
  }
}

await main(process.argv.slice(2));
