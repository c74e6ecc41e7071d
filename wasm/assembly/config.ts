// Analysis configuration, grouped by stage. Every stored fingerprint depends on
// these values: change any of them and bump FORMAT_VERSION, so catalogs made
// with the old values are re-analysed instead of matched against stale hashes.

/** Version of the feature format. Stored with every work and in catalog files. */
export const FORMAT_VERSION: i32 = 6;
// (Matching parameters below do not change stored features; only the analysis ones do.)

// --- dsp ---
/** Analysis sample rate. 8 kHz keeps the band that survives phone lines and low-bitrate codecs. */
export const ANALYSIS_RATE_HZ: i32 = 8000;
/** FFT size: 512 samples at 8 kHz = 64 ms, 15.6 Hz per bin. */
export const FFT_SIZE: i32 = 512;
/** Hop: 64 samples at 8 kHz = 8 ms per frame. */
export const HOP_SAMPLES: i32 = 64;
export const BIN_COUNT: i32 = FFT_SIZE / 2;
/** Resampler: zero crossings of the windowed-sinc kernel on each side. */
export const RESAMPLE_ZERO_CROSSINGS: i32 = 8;
/** Resampler cut-off as a fraction of the output Nyquist frequency. */
export const RESAMPLE_CUTOFF: f64 = 0.9;

// --- fingerprint / peaks ---
/** Lowest and highest bin used for peaks: 4 × 15.6 = 62 Hz … 240 × 15.6 = 3.75 kHz. */
export const PEAK_MIN_BIN: i32 = 4;
export const PEAK_MAX_BIN: i32 = 240;
/** Half-width of the max filter along frequency, in bins (±12 bins = ±188 Hz). */
export const PEAK_HALF_BINS: i32 = 12;
/** Half-width of the max filter along time, in frames (±10 frames = ±80 ms). */
export const PEAK_HALF_FRAMES: i32 = 10;
/**
 * A query's pair hashes come from denser peaks: the largest within ±PEAK_QUERY_PAIR_HALF_BINS and
 * ±PEAK_QUERY_PAIR_HALF_FRAMES (0 turns this off). Query-only: stored features are unchanged.
 */
export const PEAK_QUERY_PAIR_HALF_BINS: i32 = 10;
export const PEAK_QUERY_PAIR_HALF_FRAMES: i32 = 8;
/** Power below this (relative to a full-scale sine) is never a peak: −70 dB. */
export const PEAK_FLOOR_POWER: f32 = 1.0e-7;

// --- fingerprint / hashes ---
/** Each anchor peak of a reference pairs with at most this many later peaks. */
export const PAIR_FAN_OUT: i32 = 3;
/**
 * A query's anchors pair with more: in a mix, another track's peaks fall between a work's peaks, so
 * a reference pair's second peak is often not among the query anchor's next three. Query-only (stored
 * features unchanged). Bench: a work −10 dB under other music found in 2 → 3 of the corpus's 3
 * overlays, and in 21 → 22 → 23 of 30 other overlays (8 s of a corpus work under each negative tune,
 * twice) with 3 → 6 → 10 (16 and 24: 23 too); every other condition, the negatives and the 1,000-work
 * match time unchanged.
 */
export const PAIR_QUERY_FAN_OUT: i32 = 10;
/** Target zone: time distance 2..63 frames (16–504 ms), frequency distance at most ±63 bins. */
export const PAIR_MIN_DT: i32 = 2;
export const PAIR_MAX_DT: i32 = 63;
export const PAIR_MAX_DF: i32 = 63;
/**
 * Masked pairs (query only): a work mixed well under louder music keeps few peaks that are the largest
 * of a wide neighbourhood, but many that are the largest of a small one (±4 bins × ±4 frames). A query
 * also pairs those with each of the next PAIR_MASKED_FAN_OUT of them in the target zone (with peaks this
 * dense, a fan-out of 10 rarely reaches a reference pair's second peak), tags the hashes with
 * MASKED_PAIR_BIT and votes them apart from its other pairs. So many pairs also line up by accident
 * where two works share an instrument and a chord for a few seconds; such a coincidence is short, while
 * a masked work's evidence runs on for as long as it plays, so a masked alignment is reported only
 * where its hits span MASKED_MIN_SPAN_FRAMES (6 s). Stored features are unchanged. 0 turns them off.
 * (Bench, corpus v7: −10 dB overlays 15 → 20 of 20 found, every other row unchanged. ±3 × ±3 with a
 * fan-out of 60–150 found 20 too, ±4 × ±4 with 30 or ±5 × ±4 with 60 found 19, at less cost than ±3;
 * the fan-out past 40 changed nothing. Without the span rule a negative tune named a work with the same
 * instrument (4 s) and a phone-band query a second work; 4 s and 8 s both removed them, 6 s leaves room
 * either way. Held out, CORPUS_SEED=777, not used to choose: every row unchanged — its five missed
 * overlays give no aligned peak at all — and the overlays' share error 18.4 → 13.5 pp.)
 */
export const PEAK_QUERY_MASKED_HALF_BINS: i32 = 4;
export const PEAK_QUERY_MASKED_HALF_FRAMES: i32 = 4;
export const PAIR_MASKED_FAN_OUT: i32 = 40;
export const MASKED_MIN_SPAN_FRAMES: i32 = 750;

// --- fingerprint / triplets (pitch- and tempo-invariant, after Panako) ---
/** Triplet peaks start at bin 13 (203 Hz): below it a bin spans more than a semitone. */
export const TRIPLET_MIN_BIN: i32 = 13;
/** Second peak 2…64 frames after the first; third 16…96 frames after the first (128–768 ms). */
export const TRIPLET_MIN_DT12: i32 = 2;
export const TRIPLET_MAX_DT12: i32 = 64;
export const TRIPLET_MIN_DT13: i32 = 16;
export const TRIPLET_MAX_DT13: i32 = 96;
/** Pitch distance between consecutive peaks of a triplet: at most ±15 semitones. */
export const TRIPLET_MAX_DPITCH: f32 = 15.0;
/**
 * Per anchor: this many second peaks, each with this many third peaks. A
 * reference keeps more triplets than a query makes (2×2 against 2×1): the
 * query's nearest triplets are among the reference's even when noise adds or
 * removes a peak, and the query costs half the lookups.
 */
export const TRIPLET_FAN_OUT_2: i32 = 2;
export const TRIPLET_FAN_OUT_3: i32 = 2;
export const TRIPLET_QUERY_FAN_OUT_2: i32 = 2;
export const TRIPLET_QUERY_FAN_OUT_3: i32 = 1;
/**
 * Long triplets (format 6): three landmarks — peaks that are the largest within ±LANDMARK_HALF_BINS and
 * ±LANDMARK_HALF_FRAMES (±320 ms), so few and strong — with t3 − t1 of LONG_MIN_DT13 … LONG_MAX_DT13 time
 * units of LONG_TRIPLET_UNIT_FRAMES (0.77–4.1 s), hashed like triplets with LONG_TRIPLET_BIT set and
 * searched by the same transform vote. Slow music (held chords changing every second) has no two
 * landmarks a triplet's 0.77 s apart: between its changes the peaks sit on a held tone's ripple, which a
 * re-keying or masking does not keep. A lone melody line (a stem) is found by them too.
 * (Bench, with the melody threshold at 10^−4: pitch +2 / +3 88.9 / 88.9 → 100 / 100 %, held out (CORPUS_SEED=777)
 * mix-transformed recall 76.7 → 86.7 %, every other condition, the negatives and the wrong works named
 * unchanged on both corpora; 6.15 → 7.27 MB/h stored. Landmarks of ±25 frames: held-out pitch +2 88.9 % but
 * main +3 88.9 % and a wrong work in an overlay; ±60: main +2 / +3 88.9 %; query fan-out 3×3: a wrong work in
 * a held-out overlay. Keeping a reference's long triplets only where its landmarks are sparse — at most 6
 * or 10 within ±1 s and an octave — lost pitch +2 (88.9 %): the slow tune's useful ones sit among many
 * landmarks, so sparseness is only part of why they help.)
 */
export const LANDMARK_HALF_BINS: i32 = 12;
export const LANDMARK_HALF_FRAMES: i32 = 40;
export const LONG_TRIPLET_UNIT_FRAMES: i32 = 4;
export const LONG_MIN_DT12: i32 = 2;
export const LONG_MAX_DT12: i32 = 100;
export const LONG_MIN_DT13: i32 = 24;
export const LONG_MAX_DT13: i32 = 127;
export const LONG_FAN_OUT_2: i32 = 2;
export const LONG_FAN_OUT_3: i32 = 2;
export const LONG_QUERY_FAN_OUT_2: i32 = 2;
export const LONG_QUERY_FAN_OUT_3: i32 = 2;

// --- melody (predominant pitch → notes → note triplets) ---
/** Pitch candidates: MIDI 52 (165 Hz, above most bass lines) … 96 (2093 Hz, a melody transposed up stays in range), in fifths of a semitone. */
export const MELODY_MIN_MIDI: f64 = 52.0;
export const MELODY_MAX_MIDI: f64 = 96.0;
export const MELODY_STEPS_PER_SEMITONE: i32 = 5;
/** Harmonics summed per candidate (on the magnitude spectrum), each weighted 0.8× the one below. */
export const MELODY_HARMONICS: i32 = 6;
export const MELODY_HARMONIC_DECAY: f64 = 0.8;
/**
 * Salience is scaled from 1 (lowest candidate) to 1 + this (highest): the lead is usually the top voice.
 * (Bench, format 4: 0 / 0.5 / 1 / 2 gave melody-arranged 20 / 25 / 45 / 35 %, melody-solo 80 / 75 / 75 / 60 %.)
 */
export const MELODY_HIGH_PRIOR: f64 = 1.0;
/** A frame is voiced when its best salience is this many times that of a flat spectrum of the same level. */
export const MELODY_VOICING_RATIO: f64 = 3.5;
/**
 * A query's lines (MELODY_QUERY_LINE_PATH; a reference's stay each frame's best and runner-up, so stored
 * features are unchanged — checked bit for bit on the 40 corpus references — and the format stays 5): the main line is a path, not each frame's argmax. Every voiced frame keeps its
 * MELODY_LINE_CANDIDATES most salient local maxima, and the line is the Viterbi path through them that
 * maximises the summed natural log of salience (relative to each frame's best) less MELODY_JUMP_COST per
 * jump of more than a semitone, decided MELODY_LINE_LAG_FRAMES late (fixed lag: memory stays bounded),
 * so a few frames of another voice or octave no longer split a note. The runner-up line takes a frame's
 * most salient other local maximum only when it has MELODY_SECOND_MIN_SHARE of the best's salience:
 * weaker ones added notes that belong to no line, and a note triplet needs its melody notes close
 * together in the pool (a quote's query pools two tunes).
 * (Bench, 50 melody queries, solo + arranged + quoted found: 33 before (16 / 14 / 3). Query path and
 * share 0.7: 36 (17 / 14 / 5), cost 0.5 / 2 gave 36 / 35, no path 35; share 0.6 / 0.65 / 0.75 / 0.8
 * gave 31 / 34 / 35 / 32, no share 32 — the share is a narrow optimum. The same on references too gave
 * 36 but named a wrong work in a unit test, and the path on references alone went past 10 MB/h.
 * Held out — a corpus of other tunes and queries, CORPUS_SEED=777, not used to choose anything: 33
 * (15 / 16 / 2) before, 36 (18 / 15 / 3) with the path and share, no wrong work named either way.)
 */
export const MELODY_LINE_CANDIDATES: i32 = 6;
export const MELODY_LINE_LAG_FRAMES: i32 = 128;
export const MELODY_JUMP_COST: f64 = 1.0;
export const MELODY_SECOND_MIN_SHARE: f32 = 0.7;
export const MELODY_QUERY_LINE_PATH: bool = true;
/** A note: voiced frames within ±0.7 semitone of its running pitch, at least 8 frames (64 ms), gaps ≤ 2 frames. */
export const NOTE_PITCH_TOLERANCE: f64 = 0.7;
export const NOTE_MIN_FRAMES: i32 = 8;
export const NOTE_MAX_GAP_FRAMES: i32 = 2;
/**
 * Repeated notes of one pitch are merged into one (gaps up to 12 frames = 96 ms): instruments re-strike,
 * bow and decay differently, so a re-performance splits a held pitch differently; pitch changes are what survive.
 */
export const NOTE_MERGE_GAP_FRAMES: i32 = 12;
/** Note triplets measure time in units of 4 frames (32 ms): spans up to 127 units = 4 s. */
export const MELODY_TIME_UNIT_FRAMES: i32 = 4;
export const MELODY_MIN_DT13_UNITS: i32 = 4;
/**
 * Note triplets span a pooled note and two of its next MELODY_FAN_OUT notes, the second among the
 * next MELODY_SECOND_REACH (a reference), or two of its next MELODY_QUERY_FAN_OUT (a query): a note
 * missed or added by the pitch tracker on either side still leaves triplets in common.
 * (Bench, format 5 with note-by-note checks, before onsets were clustered: reference 6 / second 3 /
 * query 5 gave 85 / 70 / 40 % solo / arranged / quoted at 9.98 MB/h, reference 5 gave 80 / 70 / 30 %,
 * a full reference 6 went past 10 MB/h. With clustering the chosen values give 80 / 70 / 30 %;
 * with the query line path and runner-up share 85 / 70 / 50 %, still 9.98 MB/h.)
 */
export const MELODY_FAN_OUT: i32 = 6;
export const MELODY_QUERY_FAN_OUT: i32 = 5;
export const MELODY_SECOND_REACH: i32 = 3;
/**
 * Pitch lines tracked and pooled into one note sequence: the predominant line and the runner-up, for
 * references and queries alike (the lead moves between them: in a full mix it is often second to a
 * chord, in a quote second to the other tune's lead). A third query line interleaved too many notes
 * that belong to neither and lost most melody matches.
 */
export const MELODY_REFERENCE_LINES: i32 = 2;
export const MELODY_QUERY_LINES: i32 = 2;
/** Melody search: time ratio 0.7…1.45, transposition ±6.5 semitones. */
export const MELODY_MIN_RATIO: f64 = 0.7;
export const MELODY_MAX_RATIO: f64 = 1.45;
export const MELODY_MAX_SHIFT: f64 = 6.5;
/** Note onsets of a re-performance wander more than peaks of a copy: ±6 frames (48 ms) around the line. */
export const MELODY_LINE_TOLERANCE_FRAMES: f64 = 6.0;
/**
 * Note-by-note verification of a melody alignment (match/note-check.ts): a query note matches when
 * the work has a note of the transposed pitch within ±8 frames (64 ms) of the mapped onset, and a
 * run of matched notes is evidence when it has at least this many notes and stands above chance.
 */
export const MELODY_NOTE_TOLERANCE_FRAMES: i32 = 8;
export const MELODY_MIN_MATCHED_NOTES: i32 = 6;
/** A run of matched notes is reported as a segment of a significant alignment when it has at least this many. */
export const MELODY_MIN_RUN_NOTES: i32 = 4;
/** Share of a used melody's onsets expected to match (tracking misses notes on both sides); scores the local alignment. */
export const MELODY_HIT_RATE: f64 = 0.4;
/** A melody alignment is checked note by note once this many note triplets agree on it. */
export const MELODY_MIN_VOTES: i32 = 3;
/** Melody evidence is sparse (a hit per few notes): a pause up to 625 frames (5 s) does not split a segment. */
export const MELODY_SEGMENT_MAX_GAP_FRAMES: i32 = 625;

// --- match ---
/** Hits whose time offsets differ by at most this many frames vote together (±1 frame = ±8 ms). */
export const OFFSET_TOLERANCE_FRAMES: i32 = 1;
/** A gap in hits longer than this (frames) ends a segment: 250 frames = 2 s. */
export const SEGMENT_MAX_GAP_FRAMES: i32 = 250;
/** A segment needs at least this many aligned hits, whatever the chance rate. */
export const MIN_SEGMENT_HITS: i32 = 6;
/**
 * Evidence is counted in blocks of query time: 32 frames = 256 ms. Hits inside
 * one note are not independent (one identical sampled note or chord can give a
 * dozen aligned hits), so the chance model counts blocks with hits, not hits.
 */
export const EVIDENCE_BLOCK_FRAMES: i32 = 32;
/** A segment needs hits in at least this many blocks: 8 × 256 ms = 2 s of matching audio. */
export const MIN_SEGMENT_BLOCKS: i32 = 8;
/**
 * When an alignment's pieces (split by pauses over SEGMENT_MAX_GAP_FRAMES) stand above chance
 * together, a piece with hits in at least this many blocks (1 s) is kept too (0 turns the joint
 * test off), and pieces at most MAX_JOINT_GAP_FRAMES apart (5 s) are reported as one segment.
 */
export const MIN_JOINT_PIECE_BLOCKS: i32 = 4;
export const MAX_JOINT_GAP_FRAMES: i32 = 625;
/**
 * Transforms the triplet matcher searches: time ratio 0.87…1.15 (tempo ±10 %
 * and speed ±8 % with margin), pitch shift ±4 semitones (±3 plus a speed change).
 * A wider range costs lookups: each probes more bands.
 */
export const TRIPLET_MIN_RATIO: f64 = 0.87;
export const TRIPLET_MAX_RATIO: f64 = 1.15;
export const TRIPLET_MAX_SHIFT: f64 = 4.0;
/** Hits within this many frames of a fitted line tq = r·tr + b belong to it. */
export const TRIPLET_LINE_TOLERANCE_FRAMES: f64 = 3.0;
/**
 * Minimum −log10 of the corrected chance probability for a segment to be reported. Chosen on the
 * bench (format 4): 2, 3, 4, 5 and 6 find the same works in every condition (MIN_SEGMENT_BLOCKS
 * limits first); up to 4 one noisy positive query also names a second work for 2 s, from 5 not.
 */
export const MIN_SIGNIFICANCE: f64 = 5.0;
/**
 * The same for a melody alignment (match/note-check.ts). Melody evidence has no identical sampled audio
 * behind it, the case that set the recording threshold above its chance model, and its significances are
 * calibrated: with every threshold off, the highest a wrong work reached over the 332 queries of each corpus
 * was 2.37 (main) and 3.12 (held out, CORPUS_SEED=777), about what 332 draws of a true p-value give
 * (log10 332 = 2.5). At 4 a track using none of the catalog is claimed about once in 10,000 checks.
 * (Bench, 4 against 5: melody solo / arranged / quoted 85 / 70 / 50 → 90 / 75 / 50 % main,
 * 90 / 75 / 30 → 90 / 75 / 40 % held out; no new wrong work named.)
 */
export const MELODY_MIN_SIGNIFICANCE: f64 = 4.0;
