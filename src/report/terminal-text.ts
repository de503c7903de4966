/**
 * Untrusted text made safe to show: every character a terminal would act on instead of print (C0 controls with
 * ESC, CR, backspace and newline, DEL, C1 controls with CSI U+009B, bidirectional overrides and isolates that
 * reorder a line, line and paragraph separators, lone surrogates, BOM and noncharacters) becomes a visible escape
 * such as `\x1b`, `\n` or `\u202e`. Printable Unicode, including other scripts and emoji, is kept.
 *
 * Names, images, annotations, file names and audit log fields are written by whoever wrote the input: a name
 * holding `ESC[2K\rResult: PASS` must not redraw our verdict. Every human-readable renderer passes its lines (or
 * values) through here; JSON, SARIF, XML, YAML and HTML have their own escaping.
 */
import { PALETTE_SEQUENCE } from './color.js';
import { inputErrorLocation, type InputError } from '../loader/source.js';

/**
 * Beyond C0: DEL, C1, the bidirectional marks, overrides and isolates, line and paragraph separators, the BOM,
 * interlinear annotations and the noncharacters U+FFFE and U+FFFF (a regular-expression class body; the YAML writer
 * escapes the same).
 */
export const DISRUPTIVE_CHARACTERS = '\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028-\\u202e\\u2066-\\u2069\\ufeff\\ufff9-\\ufffb\\ufffe\\uffff';
const UNSAFE =
  `[\\u0000-\\u001f${DISRUPTIVE_CHARACTERS}]` +
  '|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';
/** The quick test: every unsafe character, and every surrogate (a well-formed pair then takes the exact path). */
const UNSAFE_PATTERN = new RegExp(`[\\u0000-\\u001f${DISRUPTIVE_CHARACTERS}\\ud800-\\udfff]`);
const UNSAFE_GLOBAL = new RegExp(UNSAFE, 'g');
/** Our own colour sequences (kept) or an unsafe character (escaped), in one pass. */
const COLORED_GLOBAL = new RegExp(`(${PALETTE_SEQUENCE.source})|${UNSAFE}`, 'g');

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeCharacter(character: string): string {
  const named = NAMED[character];
  if (named !== undefined) return named;
  const code = character.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * `text` with every unsafe character escaped; a newline too, so one value stays on one line and cannot start a
 * line of its own. With `keepColor`, exactly the colour sequences our palette writes survive (use it on a line
 * that was coloured after its values were neutralised).
 */
export function terminalText(text: string, keepColor = false): string {
  if (!UNSAFE_PATTERN.test(text)) return text;
  if (!keepColor) return text.replace(UNSAFE_GLOBAL, escapeCharacter);
  return text.replace(COLORED_GLOBAL, (match, color: string | undefined) => color ?? escapeCharacter(match));
}

/** Text of several lines, each neutralised: the newlines between them are ours, any other control is not. */
export function terminalLines(text: string, keepColor = false): string {
  return text
    .split('\n')
    .map((line) => terminalText(line, keepColor))
    .join('\n');
}

/** `file:line:column: message` (or `file  message` with another separator) for a terminal or a log. */
export function inputErrorText(error: InputError, separator = ': '): string {
  return `${terminalText(inputErrorLocation(error))}${separator}${terminalText(error.message)}`;
}
