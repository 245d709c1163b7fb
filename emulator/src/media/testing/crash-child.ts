/**
 * Child process for the crash test: burns a CD-R in TAO into `<dir>/<name>`, closes track 1, then keeps
 * writing 16-block chunks to track 2 and reports each on stdout (`written <i>`) until it is killed.
 * Chunk i holds pattern(16, 2048, 100 + i).
 */
import { createMedium } from '../index.js';
import { dataTao, pattern } from './context.js';

const [dir, name] = process.argv.slice(2) as [string, string];
const m = createMedium('cd-r', { dataDir: dir, name });
m.write(0, pattern(20, 2048, 1), dataTao());
m.closeTrack(1);
let lba = m.nextWritableAddress()!;
process.stdout.write(`nwa ${lba}\n`);
let i = 0;
const tick = (): void => {
  if (i >= 5000) return;
  m.write(lba, pattern(16, 2048, 100 + i), dataTao());
  lba += 16;
  process.stdout.write(`written ${i}\n`);
  i++;
  setTimeout(tick, 1);
};
tick();
