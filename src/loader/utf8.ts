/** 1-based numbers of the lines that hold bytes which are not valid UTF-8. */
export function invalidUtf8Lines(bytes: Uint8Array): Set<number> {
  const lines = new Set<number>();
  let line = 1;
  let index = 0;
  while (index < bytes.length) {
    const byte = bytes[index] as number;
    if (byte === 0x0a) line++;
    if (byte < 0x80) {
      index++;
      continue;
    }
    const length = byte >= 0xc2 && byte <= 0xdf ? 2 : byte >= 0xe0 && byte <= 0xef ? 3 : byte >= 0xf0 && byte <= 0xf4 ? 4 : 0;
    if (length === 0 || !validSequence(bytes, index, length)) {
      lines.add(line);
      index++;
      continue;
    }
    index += length;
  }
  return lines;
}

function validSequence(bytes: Uint8Array, index: number, length: number): boolean {
  if (index + length > bytes.length) return false;
  const first = bytes[index] as number;
  const second = bytes[index + 1] as number;
  // Reject overlong forms, surrogates and code points above U+10FFFF.
  if (first === 0xe0 && second < 0xa0) return false;
  if (first === 0xed && second > 0x9f) return false;
  if (first === 0xf0 && second < 0x90) return false;
  if (first === 0xf4 && second > 0x8f) return false;
  for (let offset = 1; offset < length; offset++) {
    const continuation = bytes[index + offset] as number;
    if (continuation < 0x80 || continuation > 0xbf) return false;
  }
  return true;
}

/**
 * The UTF-16 encoding a byte order mark announces, or undefined. kubectl reads such a file (cli-runtime decodes a
 * UTF-16 BOM), and Windows PowerShell writes one for `helm template ... > out.yaml`.
 */
export function utf16Encoding(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  // FF FE 00 00 is UTF-32LE's mark, which kubectl does not read either: left to fail as invalid UTF-8.
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes[2] === 0 && bytes[3] === 0 ? undefined : 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}
