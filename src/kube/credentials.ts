/**
 * Does a name or a literal value look like a credential? Names are split into words (DB_PASSWORD, dbPassword,
 * db-password → db, password) so that "monkey" or "tokenizer" do not match; names that point at a credential
 * instead of holding one (PASSWORD_FILE, TOKEN_PATH, SECRET_NAME) are not credentials.
 */
export const SENSITIVE_WORDS: ReadonlySet<string> = new Set(['password', 'passwd', 'pwd', 'pgpassword', 'secret', 'token', 'apikey', 'credential', 'credentials', 'jwt', 'bearer', 'passphrase']);
export const SENSITIVE_PAIRS: ReadonlySet<string> = new Set(['api key', 'access key', 'secret key', 'private key', 'client secret', 'auth key', 'signing key', 'encryption key', 'master key']);
export const REFERENCE_SUFFIXES: ReadonlySet<string> = new Set(['file', 'path', 'dir', 'name', 'namespace', 'ref', 'url', 'uri', 'host', 'port', 'ttl', 'expiry', 'expiration', 'length', 'enabled', 'type', 'id', 'header', 'mount', 'location', 'key_id']);

/** Values that find credentials whatever their name, with the kind each one finds. */
export const VALUE_PATTERNS: readonly { readonly pattern: RegExp; readonly what: string }[] = [
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

/** A value that names a variable instead of holding one (`$(DB_PASSWORD)`, `$DB_PASSWORD`, `${DB_PASSWORD}`). */
export const LITERAL_REFERENCES: readonly RegExp[] = [/^\$\(?[A-Za-z_][A-Za-z0-9_]*\)?$/, /^\$\{[^}]+\}$/];
/** A placeholder, not a credential. */
export const PLACEHOLDER = /^(?:changeme|change-me|password|secret|none|null|false|true|todo|xxx+|\*+|<[^>]*>)$/i;

/** A literal that could be a credential: not empty, not a `$(VAR)` reference, not a placeholder. */
export function looksLikeLiteralSecret(value: string): boolean {
  const trimmed = value.trim();
  if (trimmed.length < 4) return false;
  if (LITERAL_REFERENCES.some((pattern) => pattern.test(trimmed))) return false;
  if (PLACEHOLDER.test(trimmed)) return false;
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

/** What a redacted credential shows instead of its value. */
export const REDACTED = '***';

/** Prefixes that say which kind of token a value is; kept when the token is redacted, so the evidence stays useful. */
const TOKEN_PREFIX = /^(?:AKIA|ASIA|gh[pousr]_|github_pat_|glpat-|xox[abprs]-|AIza|sk_live_|eyJ)/;
/** The value patterns that find a credential inside longer text (the bearer pattern is anchored: see BEARER). */
const TOKENS_IN_TEXT = new RegExp(
  VALUE_PATTERNS.filter(({ pattern }) => !pattern.source.startsWith('^') && !pattern.source.includes('PRIVATE KEY'))
    .map(({ pattern }) => `(?:${pattern.source})`)
    .join('|'),
  'g',
);

/**
 * Rules that find a credential in free text (a command line, a URL, a log message, a config value): each keeps
 * what says what the credential was for and replaces only the secret part. Secret parts never hold whitespace,
 * so a redaction never changes where words begin and end.
 */
/** A word every credential name holds (password, token, api_key, clientSecret…): without one, no name is sensitive. */
const NAME_HINT = new RegExp([...SENSITIVE_WORDS, ...[...SENSITIVE_PAIRS].map((pair) => pair.split(' ')[1])].join('|'), 'i');

/** `when`: a cheap test the text must pass for the rule to apply at all (most text passes none and is left at once). */
interface TextRule {
  readonly when?: RegExp;
  readonly pattern: RegExp;
  readonly replace: (...groups: string[]) => string;
}

const TEXT_RULES: readonly TextRule[] = [
  // A whole PEM private key, or what is left of one in a cut text.
  { when: /PRIVATE KEY/, pattern: /(-{3,}\s*BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY\s*-{3,})[\s\S]*?(?:-{3,}\s*END (?:[A-Z0-9]+ )*PRIVATE KEY\s*-{3,}|$)/g, replace: (_, begin) => `${begin} ${REDACTED}` },
  { pattern: TOKENS_IN_TEXT, replace: (token) => `${TOKEN_PREFIX.exec(token)?.[0] ?? ''}${REDACTED}` },
  // scheme://user:password@host (also redis://:password@host).
  { when: /@/, pattern: /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@:]*):([^\s/?#@]+)@/gi, replace: (_, scheme, user) => `${scheme}${user}:${REDACTED}@` },
  // jdbc:oracle:thin:user/password@host.
  { when: /@/, pattern: /\b(jdbc:oracle:[a-z]+:)([^\s/@:]+)\/([^\s@]+)@/gi, replace: (_, prefix, user) => `${prefix}${user}/${REDACTED}@` },
  // Authorization: Bearer …, Proxy-Authorization=Basic …
  { when: /authorization/i, pattern: /\b((?:proxy-)?authorization\s*[:=]\s*)(?:([A-Za-z]+)(\s+))?([^\s'"]+)/gi, replace: (_, head, scheme = '', gap = '') => `${head}${scheme}${gap}${REDACTED}` },
  { when: /bearer/i, pattern: /\b(bearer\s+)(?=[A-Za-z0-9._~+/=-]*[0-9._~+/=-])[A-Za-z0-9._~+/=-]{8,}/gi, replace: (_, head) => `${head}${REDACTED}` },
  // curl -u user:password, --user=user:password, --proxy-user user:password.
  { when: /-[uU]/, pattern: /((?:^|\s)(?:-u\s*|-U\s+|--(?:proxy-)?user(?:\s+|=))['"]?)([^\s:'"]*):([^\s'"]+)/g, replace: (_, head, user) => `${head}${user}:${REDACTED}` },
  // mysql -pPASSWORD (the password stuck to -p; a bare -p prompts for it).
  { when: /mysql|mariadb/, pattern: /(\b(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlshow|mysqlcheck|mariadb(?:-[a-z]+)?)\b[^|;&\n]*?\s-p)(\S+)/g, replace: (_, head) => `${head}${REDACTED}` },
  // sshpass -p PASSWORD, redis-cli -a PASSWORD.
  { when: /sshpass|redis-cli/, pattern: /(\b(?:sshpass\b[^|;&\n]*?\s-p|redis-cli\b[^|;&\n]*?\s-a)\s*)([^\s'"]+)/g, replace: (_, head) => `${head}${REDACTED}` },
  // -H 'X-Api-Key: value' and other headers named like a credential.
  {
    when: NAME_HINT,
    pattern: /((?:^|\s)(?:-H|--header)(?:\s+|=)['"]?([A-Za-z0-9_-]+)\s*:\s*)([^'"\n]+)/g,
    replace: (whole, head, name) => (isSensitiveName(name) ? `${head}${REDACTED}` : whole),
  },
  // password=…, api_key=… (URL queries, JDBC and connection strings, env assignments, --flag=value).
  {
    when: NAME_HINT,
    pattern: /(?<![A-Za-z0-9_])([A-Za-z][A-Za-z0-9_.-]*)(=["']?)([^\s"'&;,]+)/g,
    // Any other value may hold one in turn (ORDERS_URL=http://orders/?api_key=…).
    replace: (_, name, equals, value) => `${name}${equals}${isSensitiveName(name) && !value.startsWith('$') ? REDACTED : redactCredentials(value)}`,
  },
  // --password VALUE, --token VALUE (a flag named like a credential, then its value as the next word).
  {
    when: NAME_HINT,
    pattern: /((?:^|\s)--?([A-Za-z][A-Za-z0-9_-]*)\s+['"]?)([^\s'"-][^\s'"]*)/g,
    replace: (whole, head, name, value) => (isSensitiveName(name) && !value.startsWith('$') ? `${head}${REDACTED}` : whole),
  },
];

/**
 * `text` with the credentials in it replaced by `***`: `mysql -p***`, `curl -u admin:***`, `?api_key=***`,
 * `postgres://app:***@db`, `Authorization: Bearer ***`, `ghp_***`. The same knowledge of names and token formats
 * as the secret controls, applied to text that kubeharden writes out (audit findings, generated comments).
 */
export function redactCredentials(text: string): string {
  let result = text;
  for (const { when, pattern, replace } of TEXT_RULES) {
    if (when !== undefined && !when.test(result)) continue;
    pattern.lastIndex = 0;
    result = result.replace(pattern, replace as (substring: string, ...args: unknown[]) => string);
  }
  return result;
}

/**
 * Arguments of one command line (an exec's `command=` parameters) with their credentials redacted. They are read
 * together, since `-u` and `admin:secret` are two arguments, and each keeps its own boundaries.
 */
export function redactArguments(args: readonly string[]): string[] {
  const joined = args.join(' ');
  const redacted = redactCredentials(joined);
  if (redacted === joined) return [...args];
  const before = joined.split(/(\s+)/);
  const after = redacted.split(/(\s+)/);
  // Redactions replace only whitespace-free parts, so the words line up; anything else is redacted whole.
  if (before.length !== after.length) return args.map(() => REDACTED);
  const result = args.map(() => '');
  let offset = 0;
  let arg = 0;
  let argEnd = (args[0] ?? '').length;
  before.forEach((piece, index) => {
    const replaced = after[index] as string;
    for (let at = 0; at < piece.length; ) {
      while (offset + at >= argEnd + 1 && arg < args.length - 1) argEnd += 1 + (args[++arg] as string).length;
      if (offset + at === argEnd) {
        at++; // the space that joined two arguments
        continue;
      }
      if (piece.trim() === '') {
        result[arg] += piece[at] as string;
        at++;
      } else {
        result[arg] += replaced; // a word lies within one argument
        at = piece.length;
      }
    }
    offset += piece.length;
  });
  return result;
}

/**
 * A request URI with the credentials in its query redacted: an exec's `command=` parameters are one command line
 * (`command=mysql&command=-p***`), a parameter named like a credential loses its value (`?token=***`), and any
 * other value is redacted as text. Unchanged parameters keep their exact spelling.
 */
export function redactRequestUri(uri: string): string {
  const question = uri.indexOf('?');
  if (question === -1) return uri;
  // Most queries (watch=true, labelSelector=…, fieldManager=…) hold nothing to redact: leave them at once.
  if (!QUERY_HINT.test(uri.slice(question + 1))) return uri;
  const pairs = uri.slice(question + 1).split('&').map((raw) => {
    const equals = raw.indexOf('=');
    const key = decodeComponent(equals === -1 ? raw : raw.slice(0, equals));
    const value = equals === -1 ? undefined : decodeComponent(raw.slice(equals + 1));
    return { raw, key, value };
  });
  const commands = pairs.filter((pair) => pair.key === 'command' && pair.value !== undefined);
  const redactedCommands = redactArguments(commands.map((pair) => pair.value as string));
  const redactedValue = new Map(commands.map((pair, index) => [pair, redactedCommands[index] as string]));
  const query = pairs.map((pair) => {
    if (pair.value === undefined) return pair.raw;
    const value = redactedValue.get(pair) ?? (isSensitiveName(pair.key) && pair.value !== '' ? REDACTED : redactCredentials(pair.value));
    return value === pair.value ? pair.raw : `${pair.raw.slice(0, pair.raw.indexOf('='))}=${encodeURIComponent(value).replace(/%2A/g, '*')}`;
  });
  return `${uri.slice(0, question + 1)}${query.join('&')}`;
}

/** What a query must hold for `redactRequestUri` to look closer: a command line, a credential's name or token, a user:password. */
const QUERY_HINT = new RegExp(`command=|@|%40|${NAME_HINT.source}|${TOKENS_IN_TEXT.source}`, 'i');

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
