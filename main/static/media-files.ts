import { stat } from 'node:fs/promises';
import path from 'node:path';
import { MEDIA_PREFIX, recordingIdOfPath } from '../../shared/api/recordings-methods.js';
import { securityHeaders } from './renderer-files.js';

/*
 * A call recording's audio, served to the cockpit's own page so an <audio> element can play it
 * from any moment: `conn web` (behind its token) and Electron's app:// protocol (only the app's
 * window loads it) answer MEDIA_PREFIX + id + ".wav" from <dataDir>/recordings, with Range, so
 * seeking to "▶ 14:03" reads only from there. The id is a UUID or nothing is served: no path
 * from the URL ever reaches the file system.
 */

export { MEDIA_PREFIX };

/** At most this much per answer: the player asks for the rest with further ranges. */
const MAX_SPAN = 4 * 1024 * 1024;

export type MediaAnswer =
  | { status: 200 | 206; headers: Record<string, string>; file: string; start: number; end: number }
  | { status: 404 | 405 | 416; headers: Record<string, string>; file: null; start: 0; end: -1 };

/** Whether a request path is for the media route (answered by `answerMedia`, never as a renderer file). */
export function isMediaPath(pathname: string): boolean {
  return pathname.startsWith(MEDIA_PREFIX);
}

/**
 * What to answer a GET or HEAD for a recording: the byte span to send (inclusive), or a refusal.
 * `dir` is <dataDir>/recordings. Ranges are "bytes=a-b", "bytes=a-" or "bytes=-n"; several ranges
 * in one request get the first.
 */
export async function answerMedia(dir: string, method: string, pathname: string, range: string | undefined, csp: string): Promise<MediaAnswer> {
  const base = { ...securityHeaders('audio/wav', csp), 'Cache-Control': 'no-store', 'Accept-Ranges': 'bytes' };
  const refuse = (status: 404 | 405 | 416, extra: Record<string, string> = {}): MediaAnswer => ({ status, headers: { ...base, ...extra, 'Content-Length': '0' }, file: null, start: 0, end: -1 });
  if (method !== 'GET' && method !== 'HEAD') return refuse(405, { Allow: 'GET, HEAD' });
  const id = recordingIdOfPath(pathname);
  if (id === null) return refuse(404);
  const file = path.join(dir, `${id}.wav`);
  let size: number;
  try {
    const s = await stat(file);
    if (!s.isFile()) return refuse(404);
    size = s.size;
  } catch {
    return refuse(404);
  }
  const m = range ? /^bytes=(\d*)-(\d*)/.exec(range.trim()) : null;
  if (!range || !m || (m[1] === '' && m[2] === '')) {
    const end = Math.min(size, MAX_SPAN) - 1;
    if (size <= MAX_SPAN) return { status: 200, headers: { ...base, 'Content-Length': String(size) }, file, start: 0, end };
    return { status: 206, headers: { ...base, 'Content-Length': String(end + 1), 'Content-Range': `bytes 0-${end}/${size}` }, file, start: 0, end };
  }
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || end < start) return refuse(416, { 'Content-Range': `bytes */${size}` });
  end = Math.min(end, start + MAX_SPAN - 1);
  return { status: 206, headers: { ...base, 'Content-Length': String(end - start + 1), 'Content-Range': `bytes ${start}-${end}/${size}` }, file, start, end };
}
