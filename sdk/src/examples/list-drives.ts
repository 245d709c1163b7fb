/**
 * Example: list the recorders behind iSCSI portals or URLs, show each one's media, optionally eject.
 *
 *   node sdk/dist/examples/list-drives.js iscsi://127.0.0.1:3260 [--eject]
 *   node sdk/dist/examples/list-drives.js iscsi://127.0.0.1:3260/iqn.2026-11.org.openimapi:emulator/0
 */
import { DiscMaster2, ImapiError } from '../index.js';

const PROFILE_NAMES: Record<number, string> = { 0x08: 'CD-ROM', 0x09: 'CD-R', 0x0a: 'CD-RW', 0x10: 'DVD-ROM', 0x11: 'DVD-R', 0x1a: 'DVD+RW', 0x1b: 'DVD+R', 0x40: 'BD-ROM', 0x41: 'BD-R', 0x43: 'BD-RE' };
const name = (p: number) => PROFILE_NAMES[p] ?? `profile 0x${p.toString(16).padStart(4, '0')}`;

async function main(args: string[]): Promise<void> {
  const eject = args.includes('--eject');
  const sources = args.filter((a) => a.startsWith('iscsi://'));
  if (sources.length === 0) {
    console.error('usage: list-drives <iscsi://portal | iscsi://host/iqn/lun>... [--eject]');
    process.exitCode = 2;
    return;
  }
  const master = new DiscMaster2({
    portals: sources.filter((s) => !/\/[^/]+\/\d+$/.test(s)),
    urls: sources.filter((s) => /\/[^/]+\/\d+$/.test(s)),
  });
  const ids = await master.recorders();
  if (ids.length === 0) console.log('no recorders found');
  for (const id of ids) {
    const rec = await master.openRecorder(id);
    try {
      console.log(`${id}\n  ${rec.vendorId} ${rec.productId} ${rec.productRevision}`);
      console.log(`  can write: ${(await rec.getSupportedProfiles()).map(name).join(', ')}`);
      const current = await rec.getCurrentProfiles();
      console.log(`  media: ${current.length ? current.map(name).join(', ') : 'none'}`);
      if (eject) {
        await rec.ejectMedia();
        console.log('  ejected');
      }
    } catch (e) {
      console.log(`  error: ${e instanceof ImapiError ? `${e.hresultName} — ${e.message}` : String(e)}`);
    } finally {
      await rec.close();
    }
  }
}

await main(process.argv.slice(2));
