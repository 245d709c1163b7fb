/**
 * A separate client process for the conformance suite: opens the recorder at argv[2] (an iSCSI URL,
 * or sg:/dev/sgN) with the InitiatorName argv[3] (iSCSI only), acquires exclusive access as argv[4],
 * prints `held`, and waits to be killed.
 */
import { DiscMaster2 } from '@openimapi/sdk';

const [url, initiatorName, clientName] = process.argv.slice(2);
// An sg: id is a local drive: reached through the native backend, whose lock is an O_EXCL open.
const reach = url!.startsWith('sg:') ? { providers: [(await import('@openimapi/native')).sgProvider()] } : { urls: [url!], session: { initiatorName: initiatorName! } };
const master = new DiscMaster2({ ...reach, recorder: { mcnPollMs: 0 } });
const rec = await master.openRecorder(url!);
await rec.acquireExclusiveAccess(false, clientName!);
process.stdout.write('held\n');
setInterval(() => undefined, 1 << 30);
