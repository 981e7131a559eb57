/**
 * Reads a project text file (YAML, SQL) the one safe way: bounded size checked before reading, binary and
 * badly encoded content refused with coded errors that point at the offending line.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { Errors } from '../../sdk/errors/index.js';

/** Project YAML files larger than this are refused before they are read (a 50 MB file must not stall boot). */
export const kMaxYamlBytes = 4 * 1024 * 1024;

/** Reads and decodes a text file, refusing large, binary and badly encoded files with coded errors. */
export async function readTextFile(absPath: string, displayPath: string, maxBytes = kMaxYamlBytes): Promise<string> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    // O_NONBLOCK: opening a FIFO (or a link to one) for reading would otherwise wait for a writer forever;
    // it has no effect on regular files. Anything that is not a regular file is refused below.
    handle = await open(absPath, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') {
      throw new Errors.MXCP_E_FILE_NOT_FOUND({ file: displayPath, what: 'File' }, { cause: err, location: { file: displayPath } });
    }
    throw new Errors.MXCP_E_FILE_UNREADABLE(
      { file: displayPath, reason: e.code ?? e.message },
      { cause: err, location: { file: displayPath } },
    );
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      const reason = info.isDirectory() ? 'it is a directory' : 'it is not a regular file (a pipe, socket or device)';
      throw new Errors.MXCP_E_FILE_UNREADABLE({ file: displayPath, reason }, { location: { file: displayPath } });
    }
    if (info.size > maxBytes) {
      throw new Errors.MXCP_E_FILE_TOO_LARGE({ file: displayPath, size: info.size, limit: maxBytes }, { location: { file: displayPath } });
    }
    // Read at most maxBytes + 1 so a file that grows between stat and read is still bounded. One read()
    // may return less than asked (pipes, network file systems), so loop until EOF or the bound.
    const buf = Buffer.alloc(Math.min(info.size, maxBytes) + 1);
    let filled = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, filled, buf.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
      if (filled === buf.length) break;
    }
    if (filled > maxBytes) {
      throw new Errors.MXCP_E_FILE_TOO_LARGE({ file: displayPath, size: filled, limit: maxBytes }, { location: { file: displayPath } });
    }
    return decodeText(buf.subarray(0, filled), displayPath);
  } finally {
    await handle.close();
  }
}

function decodeText(bytes: Buffer, displayPath: string): string {
  // UTF-16 with a byte order mark is accepted (PyYAML autodetects it); its NUL bytes are not "binary".
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const nul = bytes.indexOf(0);
  if (nul >= 0)
    throw new Errors.MXCP_E_FILE_BINARY({ file: displayPath }, { location: { file: displayPath, ...bytePosition(bytes, nul) } });
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    throw new Errors.MXCP_E_FILE_ENCODING({ file: displayPath }, { location: { file: displayPath, ...bytePosition(bytes, bad) } });
  }
  // Valid UTF-8 by now; a leading byte order mark is dropped (ignoreBOM: false).
  return new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes);
}

/** 1-based line and column (in bytes) of a byte offset. */
function bytePosition(bytes: Buffer, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < offset; i = bytes.indexOf(0x0a, i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Offset of the first byte that is not part of a well-formed UTF-8 sequence (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF), or -1 when the whole buffer is valid.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let max = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = b === 0xe0 ? 0xa0 : 0x80;
      if (b === 0xed) max = 0x9f; // UTF-16 surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = b === 0xf0 ? 0x90 : 0x80;
      if (b === 0xf4) max = 0x8f; // above U+10FFFF
    } else {
      return i;
    }
    if (i + need >= n) return i; // truncated sequence at the end
    const second = bytes[i + 1] as number;
    if (second < min || second > max) return i;
    for (let k = 2; k <= need; k++) {
      const c = bytes[i + k] as number;
      if (c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}
