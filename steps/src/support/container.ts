/** The `container` target: the emulator image, started with testcontainers. */
import type { DriveUnderTest } from './target.js';

export async function startContainer(): Promise<DriveUnderTest> {
  throw new Error('the container target is not available yet: build the emulator image first (see emulator/Dockerfile)');
}
