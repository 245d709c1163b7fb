/**
 * sgProvider(): the local CD/DVD drives of this Linux host as a DiscMaster2 source.
 *
 *   const master = new DiscMaster2({ providers: [sgProvider()] });
 *   const rec = await master.openRecorder((await master.recorders())[0]);   // 'sg:/dev/sg0'
 *
 * Unique ids are `sg:` + the sg node (`sg:/dev/sg0`); any `sg:/dev/...` id is opened, listed or not
 * (`sg:/dev/sr0` works too). Recorders open their node in lock mode 'acquire' (sg-transport.ts): several
 * clients, in this process or others, can open the same drive, and AcquireExclusiveAccess is an O_EXCL
 * open that shuts every other client out until it is released or its process ends.
 * Where the addon is unavailable (not Linux, not built) the provider says why and lists nothing.
 */
import type { RecorderProvider } from '@openimapi/sdk';
import { nativeAvailability } from './addon.js';
import { listDevices, type ListDevicesOptions } from './devices.js';
import { SgTransport, type SgTransportOptions } from './sg-transport.js';

export const SG_ID_PREFIX = 'sg:';

export interface SgProviderOptions extends ListDevicesOptions, Pick<SgTransportOptions, 'senseLength' | 'lockRetryMs' | 'addon'> {}

export function sgProvider(options: SgProviderOptions = {}): RecorderProvider {
  const availability = (): { available: boolean; reason?: string } => {
    if (options.addon !== undefined) return { available: true };
    const a = nativeAvailability();
    return a.available ? { available: true } : { available: false, reason: a.reason };
  };
  return {
    name: 'sg',
    availability,
    owns: (id) => id.startsWith(SG_ID_PREFIX),
    async list() {
      if (!availability().available) return [];
      return (await listDevices(options)).map((d) => `${SG_ID_PREFIX}${d.path}`);
    },
    open(id) {
      if (!id.startsWith(SG_ID_PREFIX) || id.length === SG_ID_PREFIX.length) return Promise.reject(new TypeError(`not an sg: id: ${JSON.stringify(id)}`));
      const { senseLength, lockRetryMs, addon } = options;
      return SgTransport.open(id.slice(SG_ID_PREFIX.length), {
        lock: 'acquire',
        ...(senseLength !== undefined ? { senseLength } : {}),
        ...(lockRetryMs !== undefined ? { lockRetryMs } : {}),
        ...(addon !== undefined ? { addon } : {}),
      });
    },
  };
}
