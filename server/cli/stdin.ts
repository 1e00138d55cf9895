/** Reading the text of `-` (standard input) with the size limit of files, never holding more than that. */
import type { StdinText } from './lintfile';

/** Standard input as the CLI sees it (`process.stdin`, or a stream in tests). */
export type StdinStream = NodeJS.ReadableStream & { isTTY?: boolean; destroy?: () => void };

/**
 * Reads `stream` to its end, or until more than `max` bytes came: then `truncated` is set, the stream is left
 * paused where it stopped (`passOn` writes the bytes read and the rest as they come, for `--fix`, which must not
 * eat a text it cannot fix; `drop` stops reading).
 */
export function readStdin(
  stream: StdinStream,
  max: number,
): Promise<StdinText & { passOn: (write: (b: Uint8Array) => void) => Promise<void>; drop: () => void }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const cleanup = () => {
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', onError);
    };
    const passOn = async (write: (b: Uint8Array) => void) => {
      for (const c of chunks) write(c);
      if (total > max) for await (const c of stream) write(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
    };
    const drop = () => {
      if (total > max) stream.destroy?.();
    };
    const done = () => {
      cleanup();
      const bytes = Buffer.concat(chunks, total);
      resolve({ bytes, size: total, truncated: total > max, passOn, drop });
    };
    const onData = (c: Buffer | string) => {
      const b = typeof c === 'string' ? Buffer.from(c) : c;
      chunks.push(b);
      total += b.length;
      if (total > max) {
        stream.pause();
        done();
      }
    };
    const onEnd = () => done();
    const onError = (e: Error) => {
      cleanup();
      reject(e);
    };
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onError);
  });
}
