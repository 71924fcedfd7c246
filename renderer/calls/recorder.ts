import { AUDIO_FORMAT, BYTES_PER_SECOND } from '../../shared/domain/recording.js';

/*
 * Captures the microphone as 16 kHz mono 16-bit PCM and hands it on in chunks (docs/call-audio.md
 * says why not MediaRecorder: it gives Opus in WebM, which nothing on the machine can turn back
 * into the PCM the offline engines read, there being no ffmpeg). The AudioContext runs at 16 kHz,
 * so Chromium resamples; an AudioWorklet taps the samples off the audio thread. When this
 * computer's sound is recorded too (system-audio.ts), both sources feed one gain node, which
 * sums them, so the one WAV (and its transcript) has both sides of the call.
 */

/** About every 1.5 s: a crash loses at most this much, and a chunk stays far below the RPC limit. */
export const CHUNK_BYTES = Math.round(1.5 * BYTES_PER_SECOND);

export class PcmRecorder {
  private ctx: AudioContext | null = null;
  private stream: MediaStream | null = null;
  private system: MediaStream | null = null;
  private node: AudioWorkletNode | null = null;
  private buf = new Uint8Array(CHUNK_BYTES);
  private used = 0;

  constructor(private readonly onChunk: (pcm: Uint8Array) => void) {}

  /**
   * Starts the microphone, mixed with `system` (this computer's sound) when given. The recorder
   * owns `system` from here: stop() ends its tracks too, and so does a failed start.
   */
  async start(system: MediaStream | null = null): Promise<void> {
    this.system = system;
    this.stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true }, video: false });
    this.ctx = new AudioContext({ sampleRate: AUDIO_FORMAT.sampleRate });
    await this.ctx.audioWorklet.addModule(new URL('pcm-worklet.js', document.baseURI).href);
    const mix = this.ctx.createGain();
    this.ctx.createMediaStreamSource(this.stream).connect(mix);
    if (system) this.ctx.createMediaStreamSource(system).connect(mix);
    this.node = new AudioWorkletNode(this.ctx, 'conn-pcm-tap', { numberOfInputs: 1, numberOfOutputs: 0, channelCount: 1, channelCountMode: 'explicit' });
    this.node.port.onmessage = (e: MessageEvent<Float32Array>) => this.take(e.data);
    mix.connect(this.node);
  }

  private take(samples: Float32Array): void {
    for (let i = 0; i < samples.length; i++) {
      const v = Math.max(-1, Math.min(1, samples[i]!));
      const s = v < 0 ? v * 0x8000 : v * 0x7fff;
      this.buf[this.used] = s & 0xff;
      this.buf[this.used + 1] = (s >> 8) & 0xff;
      this.used += 2;
      if (this.used === this.buf.length) this.flush();
    }
  }

  private flush(): void {
    if (this.used === 0) return;
    const chunk = this.buf.slice(0, this.used);
    this.used = 0;
    this.onChunk(chunk);
  }

  /** Stops the microphone (and this computer's sound) and hands on what is left. */
  async stop(): Promise<void> {
    this.node?.port.close();
    this.node?.disconnect();
    for (const t of [...(this.stream?.getTracks() ?? []), ...(this.system?.getTracks() ?? [])]) t.stop();
    await this.ctx?.close().catch(() => undefined);
    this.flush();
    this.ctx = null;
    this.stream = null;
    this.system = null;
    this.node = null;
  }
}

/** Base64 of bytes, in slices (String.fromCharCode with a spread of 48 000 would overflow the stack). */
export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
