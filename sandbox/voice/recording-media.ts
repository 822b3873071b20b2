// A Recording's media as Twilio serves it: `.wav` (or no extension) is audio/x-wav, `.mp3` is
// audio/mpeg (https://www.twilio.com/docs/api/rest/recording). The sandbox records no sound, so
// every recording's media is silence as long as the recording, in a small valid file.

const SAMPLE_RATE = 8000; // Hz, mono, 8-bit: the smallest PCM WAV every player reads.
/** Media longer than this is cut: the sandbox's files stay small whatever a recording's length. */
const MAX_SECONDS = 10;

/** A silent mono 8 kHz 8-bit PCM WAV file of `seconds` (at least one second, at most MAX_SECONDS). */
export function silentWav(seconds: number): Buffer {
  const samples = SAMPLE_RATE * Math.min(MAX_SECONDS, Math.max(1, Math.round(seconds)));
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + samples, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(SAMPLE_RATE, 24);
  header.writeUInt32LE(SAMPLE_RATE, 28); // byte rate
  header.writeUInt16LE(1, 32); // block align
  header.writeUInt16LE(8, 34); // bits per sample
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(samples, 40);
  return Buffer.concat([header, Buffer.alloc(samples, 0x80)]); // 0x80 is silence in 8-bit PCM
}

/**
 * One MPEG-1 Layer III frame of silence: 32 kbit/s, 8 kHz is not MPEG-1, so 32 kHz mono; a frame
 * holds 1152 samples (36 ms) in 144 * 32000 / 32000 = 144 bytes. Header FF FB 18 C4: sync, MPEG-1,
 * Layer III, no CRC, 32 kbit/s, 32 kHz, no padding, mono. All-zero side info and main data decode to silence.
 */
const MP3_FRAME = Buffer.concat([Buffer.from([0xff, 0xfb, 0x18, 0xc4]), Buffer.alloc(140, 0)]);
const MP3_FRAMES_PER_SECOND = 32000 / 1152;

/** Silent MP3 of `seconds` (at least one second, at most MAX_SECONDS): repeated silent frames. */
export function silentMp3(seconds: number): Buffer {
  const frames = Math.ceil(MP3_FRAMES_PER_SECOND * Math.min(MAX_SECONDS, Math.max(1, Math.round(seconds))));
  return Buffer.concat(Array.from({ length: frames }, () => MP3_FRAME));
}
