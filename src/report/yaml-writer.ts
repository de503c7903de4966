import { DISRUPTIVE_CHARACTERS } from './terminal-text.js';

/**
 * Block-style YAML for plain data (objects, arrays, strings, finite numbers, booleans, null), about 4× faster than
 * js-yaml's `dump` on report-sized output. Strings that could read as anything but themselves are written as JSON
 * strings, which are valid YAML double-quoted scalars, with every character YAML wants escaped written as `\uXXXX`,
 * so every YAML 1.1 or 1.2 reader gets the same value back.
 */
export function writeYaml(value: unknown): string {
  const lines: string[] = [];
  if (isContainer(value) && !isEmpty(value)) writeBlock(value, 0, lines);
  else lines.push(scalar(value));
  return `${lines.join('\n')}\n`;
}

type Container = Record<string, unknown> | unknown[];

function writeBlock(value: Container, indent: number, lines: string[]): void {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    for (const item of value) {
      if (isContainer(item) && !isEmpty(item)) {
        // The first line of a nested block goes after the dash; the rest align under it.
        const nested: string[] = [];
        writeBlock(item, indent + 2, nested);
        lines.push(`${pad}- ${(nested[0] as string).slice(indent + 2)}`, ...nested.slice(1));
      } else {
        lines.push(`${pad}- ${scalar(item)}`);
      }
    }
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    if (isContainer(item) && !isEmpty(item)) {
      lines.push(`${pad}${text(key)}:`);
      writeBlock(item, Array.isArray(item) ? indent : indent + 2, lines);
    } else {
      lines.push(`${pad}${text(key)}: ${scalar(item)}`);
    }
  }
}

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

function isEmpty(value: Container): boolean {
  return Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('YAML writer: numbers must be finite');
    return String(value);
  }
  if (typeof value === 'string') return text(value);
  if (Array.isArray(value)) return '[]';
  if (typeof value === 'object') return '{}';
  throw new TypeError(`YAML writer: cannot write a ${typeof value}`);
}

/** Words some YAML reader turns into a boolean or null (YAML 1.1 included). */
const RESERVED = /^(?:y|n|yes|no|on|off|true|false|null)$/i;
/** Letters first, then letters, digits and a few punctuation marks that mean nothing in a plain scalar. */
const PLAIN = /^[A-Za-z][A-Za-z0-9_./-]*(?: [A-Za-z0-9_./()-]+)*$/;

/**
 * Characters JSON leaves raw that YAML does not: a YAML stream holds only printable characters (YAML 1.2 § 5.1), so
 * DEL, the C1 controls (NEL included, which YAML 1.1 reads as a line break), U+FFFE and U+FFFF must be escaped; so is
 * the byte order mark, which readers drop or refuse inside a document. Line and paragraph separators (line breaks in
 * YAML 1.1) and the bidirectional controls are printable to YAML but reorder or break the lines someone reads, so they
 * are escaped too. JSON.stringify already escapes C0 and lone surrogates.
 */
const YAML_UNSAFE = new RegExp(`[${DISRUPTIVE_CHARACTERS}]`, 'g');

function text(value: string): string {
  if (PLAIN.test(value) && !RESERVED.test(value)) return value;
  // A \uXXXX escape means the same in a JSON string and a YAML double-quoted scalar.
  return JSON.stringify(value).replace(YAML_UNSAFE, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
