import { getCore } from '../load-core';
import { checkDuration, checkFingerprint } from '../../core/validate';
import type { AudioInput, Fingerprint } from '../../core/types';
import { noteLineFromCore } from '../../core/note-line';

/** Fingerprints decoded audio (with its melody's notes, to show melody evidence); refuses silent or too short/long audio with a message for people. */
export async function analyseAudio(
  name: string,
  audio: AudioInput,
  role: 'reference' | 'query',
  onProgress?: (fraction: number) => void,
): Promise<Fingerprint> {
  const core = await getCore();
  const durationSec = Math.min(...audio.channels.map((c) => c.length)) / audio.sampleRateHz;
  checkDuration(name, durationSec);
  let lastReport = 0;
  const fp = core.analyse(audio, {
    role,
    onProgress: (f) => {
      // Comlink posts a message per call: report at most every 2 %.
      if (f - lastReport >= 0.02 || f === 1) {
        lastReport = f;
        onProgress?.(f);
      }
    },
  });
  checkFingerprint(name, fp);
  return { ...fp, notes: noteLineFromCore(core) };
}
