import { closeSync, fstatSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import { AUDIO_FORMAT } from '../../../shared/domain/recording.js';

/*
 * A WAV file written as it is recorded. The data is appended and the header's two sizes are
 * rewritten after every chunk, then the file is fsynced: whatever is on disk after a kill -9 or
 * a power cut is a valid WAV of everything up to the last chunk acknowledged (and maybe a few
 * bytes more, which `repairWav` folds in). 16 kHz mono 16-bit PCM: what the offline engines read.
 */

export const WAV_HEADER_BYTES = 44;

export function wavHeader(dataBytes: number): Buffer {
  const { sampleRate, channels, bitsPerSample } = AUDIO_FORMAT;
  const h = Buffer.alloc(WAV_HEADER_BYTES);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE((sampleRate * channels * bitsPerSample) / 8, 28);
  h.writeUInt16LE((channels * bitsPerSample) / 8, 32);
  h.writeUInt16LE(bitsPerSample, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

/** Creates the file with an empty data chunk, durably. */
export function createWav(file: string): void {
  const fd = openSync(file, 'wx');
  try {
    writeSync(fd, wavHeader(0), 0, WAV_HEADER_BYTES, 0);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Appends PCM at the end of the data the header counts (`dataBytes`), rewrites the sizes and
 * fsyncs. Writing at the counted end, not the file's end, means a chunk half-written before a
 * crash is overwritten rather than left in the middle. Returns the new data size.
 */
export function appendWav(file: string, dataBytes: number, pcm: Uint8Array): number {
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, pcm, 0, pcm.length, WAV_HEADER_BYTES + dataBytes);
    const total = dataBytes + pcm.length;
    const h = wavHeader(total);
    writeSync(fd, h.subarray(4, 8), 0, 4, 4);
    writeSync(fd, h.subarray(40, 44), 0, 4, 40);
    fsyncSync(fd);
    return total;
  } finally {
    closeSync(fd);
  }
}

/** The data size a WAV's header claims. */
export function wavDataBytes(file: string): number {
  const fd = openSync(file, 'r');
  try {
    const h = Buffer.alloc(WAV_HEADER_BYTES);
    readSync(fd, h, 0, WAV_HEADER_BYTES, 0);
    if (h.toString('ascii', 0, 4) !== 'RIFF' || h.toString('ascii', 8, 12) !== 'WAVE') throw new Error(`${file} is not a WAV file`);
    return h.readUInt32LE(40);
  } finally {
    closeSync(fd);
  }
}

/**
 * After a crash: makes the header count every whole sample on disk (a chunk whose data reached
 * the disk but whose header rewrite did not). Returns the data size.
 */
export function repairWav(file: string): number {
  const fd = openSync(file, 'r+');
  try {
    const size = fstatSync(fd).size;
    const block = (AUDIO_FORMAT.channels * AUDIO_FORMAT.bitsPerSample) / 8;
    const data = Math.max(0, size - WAV_HEADER_BYTES);
    const whole = data - (data % block);
    const h = wavHeader(whole);
    writeSync(fd, h, 0, WAV_HEADER_BYTES, 0);
    fsyncSync(fd);
    return whole;
  } finally {
    closeSync(fd);
  }
}
