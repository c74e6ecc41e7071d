// What the Catalog screen says about works whose stored features an older core made and that
// cannot be made again: nothing to analyse was kept with them. Plain text, no DOM.

export interface UnrebuildableWork {
  title: string;
  /** A melody from MIDI (its .mid is what would be kept), not a recording. */
  midi: boolean;
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * One message for all such works, or null if there are none. A recording's audio is missing when
 * the keep-audio setting was off or the work came from a catalog file; a MIDI work's .mid is missing
 * when it came from a catalog file (a .ttcat holds features, never the .mid).
 */
export function unrebuildableWorksMessage(works: readonly UnrebuildableWork[]): string | null {
  const audio = works.filter((w) => !w.midi).map((w) => w.title);
  const midi = works.filter((w) => w.midi).map((w) => w.title);
  const parts: string[] = [];
  if (audio.length) {
    parts.push(
      `${count(audio.length, 'work was', 'works were')} analysed by an older version of Tunetrace and ${audio.length === 1 ? 'its' : 'their'} audio was not kept, ` +
        `so ${audio.length === 1 ? 'it cannot' : 'they cannot'} be matched: ${audio.join(', ')}. Remove ${audio.length === 1 ? 'it' : 'them'} and add ${audio.length === 1 ? 'its' : 'their'} audio again.`,
    );
  }
  if (midi.length) {
    parts.push(
      `${count(midi.length, 'melody from MIDI was', 'melodies from MIDI were')} made by an older version of Tunetrace and came from a catalog file (.ttcat), which keeps no MIDI file, ` +
        `so ${midi.length === 1 ? 'it cannot' : 'they cannot'} be matched: ${midi.join(', ')}. Remove ${midi.length === 1 ? 'it' : 'them'} and add the .mid ${midi.length === 1 ? 'file' : 'files'} again.`,
    );
  }
  return parts.length ? parts.join(' ') : null;
}
