/**
 * A small, strict XML reader for the few XML files package data comes in (Maven pom.xml, CycloneDX XML SBOMs): elements,
 * attributes, text, CDATA and the five predefined entities plus character references. No DTDs are processed (a
 * DOCTYPE is skipped, so no entity expansion and no external fetches), and nesting depth is bounded.
 */

export interface XmlElement {
  /** The name without its namespace prefix (`project`, `bom`). */
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

export class XmlSyntaxError extends Error {}

const MAX_DEPTH = 256;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string, offset: number): string {
  if (!text.includes('&')) return text;
  return text.replace(/&([^;&<\s]{0,32});?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) throw new XmlSyntaxError(`XML syntax error: unterminated entity reference near offset ${offset}`);
    if (name.startsWith('#')) {
      const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      if (!Number.isInteger(code) || code < 0 || code > 0x10ffff) throw new XmlSyntaxError(`XML syntax error: bad character reference &${name}; near offset ${offset}`);
      return String.fromCodePoint(code);
    }
    const value = ENTITIES[name];
    if (value === undefined) throw new XmlSyntaxError(`XML syntax error: unknown entity &${name}; near offset ${offset}`);
    return value;
  });
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

const NAME = /^[A-Za-z_:][\w.:-]*/;
const ATTRIBUTE = /^\s+([A-Za-z_:][\w.:-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/;

/** The document's root element; throws XmlSyntaxError (its message starts "XML syntax error") on malformed input. */
export function parseXml(xml: string): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let at = 0;
  const fail = (what: string): never => {
    throw new XmlSyntaxError(`XML syntax error: ${what} at offset ${at}`);
  };
  while (at < xml.length) {
    const open = xml.indexOf('<', at);
    const textEnd = open === -1 ? xml.length : open;
    if (textEnd > at) {
      const text = xml.slice(at, textEnd);
      const current = stack[stack.length - 1];
      if (current) current.text += decodeEntities(text, at);
      else if (text.trim() !== '') fail('text outside the root element');
    }
    if (open === -1) break;
    at = open;
    if (xml.startsWith('<?', at)) {
      const end = xml.indexOf('?>', at);
      if (end === -1) fail('unterminated processing instruction');
      at = end + 2;
    } else if (xml.startsWith('<!--', at)) {
      const end = xml.indexOf('-->', at + 4);
      if (end === -1) fail('unterminated comment');
      at = end + 3;
    } else if (xml.startsWith('<![CDATA[', at)) {
      const end = xml.indexOf(']]>', at);
      if (end === -1) fail('unterminated CDATA section');
      const current = stack[stack.length - 1] ?? fail('CDATA outside the root element');
      current.text += xml.slice(at + 9, end);
      at = end + 3;
    } else if (xml.startsWith('<!DOCTYPE', at)) {
      // Skipped, internal subset included: no entity is ever declared or expanded.
      let depth = 0;
      let end = at;
      for (; end < xml.length; end++) {
        const char = xml[end];
        if (char === '[') depth++;
        else if (char === ']') depth--;
        else if (char === '>' && depth <= 0) break;
      }
      if (end >= xml.length) fail('unterminated DOCTYPE');
      at = end + 1;
    } else if (xml.startsWith('</', at)) {
      const match = NAME.exec(xml.slice(at + 2, at + 2 + 256));
      const name = match?.[0] ?? fail('bad closing tag');
      const close = xml.indexOf('>', at);
      if (close === -1 || xml.slice(at + 2 + name.length, close).trim() !== '') fail('bad closing tag');
      const current = stack.pop();
      if (!current || current.name !== localName(name)) fail(`closing tag </${name}> does not match <${current?.name ?? ''}>`);
      at = close + 1;
    } else {
      const match = NAME.exec(xml.slice(at + 1, at + 1 + 256));
      const name = match?.[0] ?? fail('bad tag');
      let cursor = at + 1 + name.length;
      const attributes: Record<string, string> = {};
      for (;;) {
        const rest = xml.slice(cursor, cursor + 65_536);
        const attribute = ATTRIBUTE.exec(rest);
        if (!attribute) break;
        const key = attribute[1] ?? '';
        if (Object.hasOwn(attributes, key)) fail(`duplicate attribute ${key}`);
        attributes[key] = decodeEntities(attribute[3] ?? attribute[4] ?? '', cursor);
        cursor += attribute[0].length;
      }
      const tail = /^\s*(\/?)>/.exec(xml.slice(cursor, cursor + 4096)) ?? fail(`bad tag <${name}>`);
      const element: XmlElement = { name: localName(name), attributes, children: [], text: '' };
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(element);
      else if (root) fail('a second root element');
      else root = element;
      if (tail[1] !== '/') {
        if (stack.length >= MAX_DEPTH) fail(`elements nested deeper than ${MAX_DEPTH}`);
        stack.push(element);
      }
      at = cursor + tail[0].length;
    }
  }
  if (stack.length > 0) fail(`unclosed <${stack[stack.length - 1]?.name}>`);
  return root ?? fail('no root element');
}

/** The first child named `name`. */
export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((candidate) => candidate.name === name);
}

export function children(element: XmlElement | undefined, name: string): XmlElement[] {
  return element?.children.filter((candidate) => candidate.name === name) ?? [];
}

/** The trimmed text of the first child named `name`, or undefined. */
export function childText(element: XmlElement | undefined, name: string): string | undefined {
  const found = child(element, name);
  return found === undefined ? undefined : found.text.trim();
}
