import captureWorkletUrl from './capture.worklet.ts?worker&url';
import type { CaptureChunk } from './capture.worklet';

export type { CaptureChunk };

/** Why the microphone could not be opened, with a message a person can act on. */
export type MicrophoneProblem = 'denied' | 'no-device' | 'busy' | 'unsupported';

export class MicrophoneError extends Error {
  constructor(readonly problem: MicrophoneProblem, message: string) {
    super(message);
    this.name = 'MicrophoneError';
  }
}

const MESSAGES: Record<MicrophoneProblem, string> = {
  denied:
    'Tunetrace was not allowed to use the microphone. Allow microphone access for this page (the icon at the left of the address bar, or your system’s privacy settings), then press Listen again.',
  'no-device': 'No microphone was found. Connect one, or choose an input device in your system’s sound settings, then press Listen again.',
  busy: 'The microphone could not be opened: another app may be using it. Close that app, then press Listen again.',
  unsupported: 'This browser cannot capture sound from a microphone here. Use a current Chrome, Edge or Firefox on this computer.',
};

function problemOf(e: unknown): MicrophoneProblem {
  switch ((e as Error)?.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'denied';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'no-device';
    case 'NotReadableError':
    case 'AbortError':
      return 'busy';
    default:
      return 'unsupported';
  }
}

/** Live microphone input; stop() releases the device and the audio context. */
export interface MicrophoneCapture {
  readonly sampleRateHz: number;
  /** The input device's label, when the browser gives one. */
  readonly deviceLabel: string;
  stop(): void;
}

/** The core works at 8 kHz: capturing at 16 kHz keeps everything it uses and a third of 48 kHz's data. */
const CAPTURE_RATE_HZ = 16000;

/**
 * Opens the microphone (raw: no echo cancellation, noise suppression or gain control, which
 * would treat music as noise) and calls `onChunk` with ~100 ms of mono samples at a time.
 */
export async function openMicrophone(onChunk: (chunk: CaptureChunk) => void): Promise<MicrophoneCapture> {
  if (!navigator.mediaDevices?.getUserMedia || typeof AudioWorkletNode === 'undefined') {
    throw new MicrophoneError('unsupported', MESSAGES.unsupported);
  }
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
    });
  } catch (e) {
    const problem = problemOf(e);
    throw new MicrophoneError(problem, MESSAGES[problem]);
  }
  let context: AudioContext | undefined;
  try {
    let source: MediaStreamAudioSourceNode;
    try {
      context = new AudioContext({ sampleRate: CAPTURE_RATE_HZ });
      source = context.createMediaStreamSource(stream);
    } catch {
      // A browser that cannot resample a stream into a context of another rate: the core resamples.
      void context?.close();
      context = new AudioContext();
      source = context.createMediaStreamSource(stream);
    }
    await context.audioWorklet.addModule(captureWorkletUrl);
    const node = new AudioWorkletNode(context, 'tunetrace-capture');
    node.port.onmessage = (event: MessageEvent<CaptureChunk>) => onChunk(event.data);
    source.connect(node);
    // The node writes silence; connecting it to the output is what makes the graph pull it.
    node.connect(context.destination);
    // A context made without a user gesture may start suspended.
    if (context.state !== 'running') await context.resume();
    const ctx = context;
    return {
      sampleRateHz: ctx.sampleRate,
      deviceLabel: stream.getAudioTracks()[0]?.label ?? '',
      stop() {
        node.port.onmessage = null;
        source.disconnect();
        node.disconnect();
        for (const track of stream.getTracks()) track.stop();
        void ctx.close();
      },
    };
  } catch (e) {
    for (const track of stream.getTracks()) track.stop();
    void context?.close();
    throw e instanceof MicrophoneError ? e : new MicrophoneError('unsupported', `${MESSAGES.unsupported} (${(e as Error)?.message ?? e})`);
  }
}
