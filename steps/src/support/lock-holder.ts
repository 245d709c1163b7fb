/**
 * A separate client process for the conformance suite: opens the recorder at argv[2] with the
 * InitiatorName argv[3], acquires exclusive access as argv[4], prints `held`, and waits to be killed.
 */
import { DiscMaster2 } from '@openimapi/sdk';

const [url, initiatorName, clientName] = process.argv.slice(2);
const master = new DiscMaster2({ urls: [url!], session: { initiatorName: initiatorName! }, recorder: { mcnPollMs: 0 } });
const rec = await master.openRecorder(url!);
await rec.acquireExclusiveAccess(false, clientName!);
process.stdout.write('held\n');
setInterval(() => undefined, 1 << 30);
