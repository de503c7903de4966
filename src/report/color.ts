/** Minimal ANSI styling; the caller decides whether colour is on (TTY, NO_COLOR, --no-color). */
export interface Palette {
  red(text: string): string;
  yellow(text: string): string;
  blue(text: string): string;
  gray(text: string): string;
  green(text: string): string;
  bold(text: string): string;
  magenta(text: string): string;
  /** Whether the functions above colour at all (renderers keep exactly these sequences when they neutralise lines). */
  readonly enabled: boolean;
}

/** Every sequence `palette(true)` writes, and nothing else: SGR 1, 22, 31–35, 39 and 90. */
export const PALETTE_SEQUENCE = /\u001b\[(?:1|22|3[1-59]|90)m/;

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

export function palette(enabled: boolean): Palette {
  if (!enabled) {
    const plain = (text: string) => text;
    return { red: plain, yellow: plain, blue: plain, gray: plain, green: plain, bold: plain, magenta: plain, enabled: false };
  }
  return {
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    blue: wrap(34, 39),
    gray: wrap(90, 39),
    green: wrap(32, 39),
    bold: wrap(1, 22),
    magenta: wrap(35, 39),
    enabled: true,
  };
}

/**
 * Colour only for a terminal: `--no-color` and a non-empty NO_COLOR turn it off, a non-empty FORCE_COLOR (not "0")
 * turns it on for pipes too.
 */
export function colorEnabled(stream: { isTTY?: boolean }, flag: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}
