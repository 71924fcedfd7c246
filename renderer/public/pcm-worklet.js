/*
 * The audio worklet of the call recorder (renderer/calls/recorder.ts). It runs in the audio
 * thread of an AudioContext created at 16 kHz (Chromium resamples the microphone to it) and
 * hands each block of mono float samples to the page, which turns them into 16-bit PCM and sends
 * them to the core. A plain file under public/: the CSP allows scripts from 'self' only, and
 * an AudioWorklet module must be a URL.
 */
/* global AudioWorkletProcessor, registerProcessor -- the AudioWorkletGlobalScope's own names */
class PcmTap extends AudioWorkletProcessor {
  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (channel && channel.length > 0) this.port.postMessage(channel.slice(0));
    return true;
  }
}
registerProcessor('conn-pcm-tap', PcmTap);
