/**
 * SEC-NO-CREDENTIALS-IN-ENV's table. Besides the plain cases it holds the spellings where JavaScript and RE2 differ
 * (Unicode whitespace, case folding of `ſ` and KELVIN SIGN, U+0130 in a name, characters outside the BMP), so the
 * oracle proves `export vap`'s CEL means what the scanner means. The API server refuses non-ASCII env names for
 * built-in kinds; the Rollout and custom-kind wrappers carry them to admission.
 */
import type { ControlCases } from '../../support/control-tester.js';

const env = (...variables: object[]) => ({ containers: [{ name: 'app', image: 'x', env: variables }] });
export const AWS_KEY = 'AKIAIOSFODNN7EXAMPLE';
export const PASSWORD = 'hunter2-but-longer';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
const FIRST = 'spec.containers[0].env[0].value';

export const cases: ControlCases = {
  valid: [
    { name: 'ordinary settings', spec: env({ name: 'LOG_LEVEL', value: 'debug' }, { name: 'PASSWORD_FILE', value: '/run/secrets/db' }) },
    { name: 'secret reference', spec: env({ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }) },
    { name: 'variable reference', spec: env({ name: 'DB_PASSWORD', value: '$(FROM_SECRET)' }) },
    { name: 'braced variable reference, padded', spec: env({ name: 'DB_PASSWORD', value: ' ${FROM_SECRET}\t' }) },
    { name: 'a placeholder in any case, padded', spec: env({ name: 'DB_PASSWORD', value: ' ChangeMe ' }) },
    { name: 'too short once trimmed', spec: env({ name: 'API_TOKEN', value: '\u00a0 ab \u3000' }) },
    { name: 'three UTF-16 units (one character outside the BMP)', spec: env({ name: 'API_TOKEN', value: 'a\u{1D49C}' }) },
    { name: 'a file path with trailing spaces', spec: env({ name: 'SECRET', value: '/run/secret/x   ' }) },
    { name: 'names that point at a credential', spec: env({ name: 'TOKEN_PATH', value: 'abcd1234' }, { name: 'API_KEY_ID', value: 'x1234567' }, { name: 'tokenFile', value: 'abcdefg' }, { name: 'Token-URL', value: 'https://auth' }) },
    { name: 'words that only contain a sensitive one', spec: env({ name: 'TOKENIZER', value: 'abcdefgh' }, { name: 'XToken', value: 'abcdefgh' }, { name: 'PASSWORD2', value: 'abcdefgh' }, { name: 'passwords', value: 'abcdefgh' }) },
    { name: 'pair words that are not next to each other', spec: env({ name: 'API_CACHE_KEY', value: 'abcdefgh' }, { name: 'CACHE_KEY_PREFIX', value: 'abcdefgh' }) },
    { name: 'a bearer header too short to be a token', spec: env({ name: 'SETTING', value: 'Bearer abc' }) },
  ],
  invalid: [
    { name: 'password by name, AWS key by value', spec: env({ name: 'DB_PASSWORD', value: PASSWORD }, { name: 'SETTING', value: AWS_KEY }), fields: [FIRST, 'spec.containers[0].env[1].value'] },
    { name: 'camelCase and dashed names', spec: env({ name: 'dbPassword', value: 'hunter2xyz' }, { name: 'apiKey', value: 'abcdefgh' }, { name: 'API-KEY', value: 'abcdefgh' }, { name: 'myAPIKey', value: 'abcdefgh' }, { name: 'client.secret', value: 'abcdefgh' }), fields: [0, 1, 2, 3, 4].map((i) => `spec.containers[0].env[${i}].value`) },
    { name: 'a long s is not a placeholder (JavaScript folds ASCII only)', spec: env({ name: 'DB_PASSWORD', value: 'pa\u017Fsword' }), fields: [FIRST] },
    { name: 'a bearer token padded with Unicode spaces', spec: env({ name: 'SETTING', value: '\u00a0bearer\u2003abcdefgh\ufeff' }), fields: [FIRST] },
    { name: 'a JSON Web Token', spec: env({ name: 'SETTING', value: JWT }), fields: [FIRST] },
    { name: 'a private key', spec: env({ name: 'TLS', value: '-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n' }), fields: [FIRST] },
    { name: 'four UTF-16 units in two characters outside the BMP', spec: env({ name: 'API_TOKEN', value: '\u{1D49C}\u{1D49C}' }, { name: 'AUTH_TOKEN', value: 'a\u{1D49C}b' }), fields: [FIRST, 'spec.containers[0].env[1].value'] },
    { name: 'KELVIN SIGN lower-cases to k', spec: env({ name: 'TO\u212AEN', value: 'abcdefgh' }), fields: [FIRST] },
    { name: 'U+0130 ends a word', spec: env({ name: 'AP\u0130_KEY', value: 'abcdefgh' }, { name: 'AP\u0130KEY', value: 'abcdefgh' }), fields: [FIRST, 'spec.containers[0].env[1].value'] },
    { name: 'an init container', spec: { initContainers: [{ name: 'init', image: 'x', env: [{ name: 'GITHUB_TOKEN', value: 'abcdefgh' }] }] }, fields: ['spec.initContainers[0].env[0].value'] },
  ],
};
