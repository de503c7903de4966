/**
 * Does a name or a literal value look like a credential? Names are split into words (DB_PASSWORD, dbPassword,
 * db-password → db, password) so that "monkey" or "tokenizer" do not match; names that point at a credential
 * instead of holding one (PASSWORD_FILE, TOKEN_PATH, SECRET_NAME) are not credentials.
 */
const SENSITIVE_WORDS = new Set(['password', 'passwd', 'pwd', 'secret', 'token', 'apikey', 'credential', 'credentials', 'jwt', 'bearer', 'passphrase']);
const SENSITIVE_PAIRS = new Set(['api key', 'access key', 'secret key', 'private key', 'client secret', 'auth key', 'signing key', 'encryption key', 'master key']);
const REFERENCE_SUFFIXES = new Set(['file', 'path', 'dir', 'name', 'namespace', 'ref', 'url', 'uri', 'host', 'port', 'ttl', 'expiry', 'expiration', 'length', 'enabled', 'type', 'id', 'header', 'mount', 'location', 'key_id']);

/** Values that find credentials whatever their name, with the kind each one finds. */
const VALUE_PATTERNS: readonly { readonly pattern: RegExp; readonly what: string }[] = [
  { pattern: /-{3,}\s*BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY\s*-{3,}/, what: 'a private key' },
  { pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, what: 'an AWS access key id' },
  { pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}\b|\bgithub_pat_[A-Za-z0-9_]{40,}/, what: 'a GitHub token' },
  { pattern: /\bglpat-[A-Za-z0-9_-]{20,}/, what: 'a GitLab token' },
  { pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/, what: 'a Slack token' },
  { pattern: /\bAIza[0-9A-Za-z_-]{35}\b/, what: 'a Google API key' },
  { pattern: /\bsk_live_[0-9A-Za-z]{20,}/, what: 'a Stripe secret key' },
  { pattern: /^\s*bearer\s+[A-Za-z0-9._~+/=-]{6,}\s*$/i, what: 'a bearer token' },
  { pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, what: 'a JSON Web Token' },
];

export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

/** True when the name says the value is a credential (and not a path or name of one). */
export function isSensitiveName(name: string): boolean {
  const parts = words(name);
  if (parts.length === 0) return false;
  const last = parts[parts.length - 1] as string;
  if (REFERENCE_SUFFIXES.has(last) || (parts.length > 1 && REFERENCE_SUFFIXES.has(`${parts[parts.length - 2]}_${last}`))) return false;
  for (let index = 0; index < parts.length; index++) {
    if (SENSITIVE_WORDS.has(parts[index] as string)) return true;
    if (index > 0 && SENSITIVE_PAIRS.has(`${parts[index - 1]} ${parts[index]}`)) return true;
  }
  return false;
}

/** What kind of credential the value is, when it matches a known credential format. */
/** All value patterns in one expression, so a large value (a dashboard in a ConfigMap) is scanned once. */
const ANY_VALUE_PATTERN = new RegExp(VALUE_PATTERNS.map(({ pattern }) => `(?:${pattern.source})`).join('|'), 'i');

export function credentialInValue(value: string): string | undefined {
  if (!ANY_VALUE_PATTERN.test(value)) return undefined;
  for (const { pattern, what } of VALUE_PATTERNS) if (pattern.test(value)) return what;
  return undefined;
}

/** A literal that could be a credential: not empty, not a `$(VAR)` reference, not a placeholder. */
export function looksLikeLiteralSecret(value: string): boolean {
  const trimmed = value.trim();
  if (trimmed.length < 4) return false;
  if (/^\$\(?[A-Za-z_][A-Za-z0-9_]*\)?$/.test(trimmed) || /^\$\{[^}]+\}$/.test(trimmed)) return false;
  if (/^(?:changeme|change-me|password|secret|none|null|false|true|todo|xxx+|\*+|<[^>]*>)$/i.test(trimmed)) return false;
  if (trimmed.startsWith('/') && !trimmed.includes(' ')) return false; // a file path
  return true;
}

/** The base64-decoded text of a value, when it is plausibly base64 and decodes to printable text. */
export function decodedBase64(value: string): string | undefined {
  // Most values are plainly not base64 (spaces, braces, newlines): reject those before any whole-string work.
  if (value.length < 16 || !/^[A-Za-z0-9+/=\s]{16}/.test(value)) return undefined;
  const trimmed = value.replace(/\s+/g, '');
  if (trimmed.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) return undefined;
  const decoded = Buffer.from(trimmed, 'base64').toString('utf8');
  return /^[\x09\x0a\x0d\x20-\x7e]+$/.test(decoded) ? decoded : undefined;
}
