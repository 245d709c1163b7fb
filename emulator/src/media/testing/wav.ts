/** A RIFF/WAVE file for tests: 44-byte header (PCM, 44.1 kHz, 16-bit; stereo unless told) and `pcm`. */
export function wavFile(pcm: Buffer, channels = 2): Buffer {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(36 + pcm.length, 4);
  h.write('WAVEfmt ', 8, 'latin1');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(44100, 24);
  h.writeUInt32LE(44100 * 2 * channels, 28); // byte rate
  h.writeUInt16LE(2 * channels, 32); // block align
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([h, pcm]);
}
