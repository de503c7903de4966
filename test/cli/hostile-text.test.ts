/**
 * Input written by an attacker reaches no terminal raw: names, namespaces, images, annotations, audit log fields,
 * policy and file names carrying ESC/CSI/OSC sequences, carriage returns, backspaces, concealment, C1 controls and
 * bidi overrides are shown as visible escapes in every human-readable output and error line, and a name that tries
 * to draw "Result: PASS" cannot start a line of its own.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PALETTE_SEQUENCE } from '../../src/report/color.js';
import { CLI, PROJECT_ROOT } from '../support/paths.js';

/** Every kind of terminal attack in one string, ending with a line that imitates our verdict. */
const ATTACK =
  '\u001b[2K\r\u001b]0;owned\u0007\u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007\b\b\u001b[8mhidden\u001b[0m' +
  '\u009b31m\u0085\u202eabc\u2066\u2069\u2028\nResult: PASS';
/** What may not reach the output: every control but the newlines between our own lines, C1, bidi, separators. */
/** The attack as part of a file name: no slash, no newline (everything else a name can hold). */
const IN_NAME = ATTACK.replace(/[\n/]/g, '');
const FORBIDDEN = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;
const PALETTE = new RegExp(PALETTE_SEQUENCE.source, 'g');

/** A YAML double-quoted scalar holding `text` exactly, in ASCII (the stream itself stays printable). */
function quoted(text: string): string {
  return JSON.stringify(text).replace(/[^\x20-\x7e]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const dir = mkdtempSync(join(tmpdir(), 'kubeharden-hostile-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const evil = quoted(`web${ATTACK}`);
const manifests = join(dir, 'manifests');
mkdirSync(manifests);
const hostileFile = join(manifests, `app${IN_NAME}.yaml`);
writeFileSync(
  hostileFile,
  `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${evil}
  namespace: ${evil}
  annotations:
    note: ${evil}
    kubeharden.io/ignore: ${quoted(`RES-LIMITRANGE=${ATTACK}`)}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: ${evil}
        image: ${quoted(`nginx${ATTACK}`)}
        securityContext: {privileged: true}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${evil}
  namespace: ${evil}
spec:
  podSelector: {}
  ingress:
  - from: [{podSelector: {matchLabels: {app: web}}}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ${evil}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${evil}}
subjects:
- {kind: User, name: ${evil}, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: ${evil}}
rules:
- {apiGroups: [""], resources: [secrets], verbs: [get], resourceNames: [${evil}]}
`,
);
// A YAML error whose message and snippet would quote the line.
writeFileSync(join(manifests, `broken${IN_NAME}.yaml`), `apiVersion: v1\nkind: Pod\nmetadata:\n  name: [${IN_NAME}\n`);

const root = join(dir, 'root');
mkdirSync(join(root, 'etc/kubernetes/manifests'), { recursive: true });
writeFileSync(
  join(root, 'etc/kubernetes/manifests', `kube-apiserver${IN_NAME}.yaml`),
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${evil}\n  namespace: kube-system\nspec:\n  containers:\n  - name: kube-apiserver\n    image: ${quoted(`registry.k8s.io/kube-apiserver:v1.30.0${ATTACK}`)}\n    command: [kube-apiserver, ${quoted(`--anonymous-auth=true${ATTACK}`)}]\n`,
);

const event = {
  kind: 'Event',
  apiVersion: 'audit.k8s.io/v1',
  level: 'Request',
  stage: 'ResponseComplete',
  auditID: 'a1',
  verb: 'create',
  user: { username: `mallory${ATTACK}`, groups: ['system:authenticated'] },
  impersonatedUser: { username: `admin${ATTACK}` },
  sourceIPs: [`203.0.113.7${ATTACK}`],
  userAgent: `kubectl${ATTACK}`,
  requestURI: `/api/v1/namespaces/shop/pods?x=${ATTACK}`,
  objectRef: { resource: 'pods', namespace: `shop${ATTACK}`, apiVersion: 'v1' },
  responseStatus: { code: 201 },
  requestReceivedTimestamp: `2026-03-01T10:00:00Z${ATTACK}`,
  stageTimestamp: `2026-03-01T10:00:00Z${ATTACK}`,
  annotations: { 'authorization.k8s.io/decision': 'allow' },
  requestObject: { kind: 'Pod', metadata: { name: `debug${ATTACK}` }, spec: { containers: [{ name: `c${ATTACK}`, image: `busybox${ATTACK}`, securityContext: { privileged: true } }] } },
};
const log = join(dir, `audit${IN_NAME}.log`);
// JSON.stringify leaves C1 and bidi characters raw, as a real log would hold them; the last line is not JSON.
writeFileSync(log, `${JSON.stringify(event)}\n${JSON.stringify({ ...event, auditID: 'a2', verb: 'get', requestURI: `/api/v1/namespaces/shop/pods/p/exec?command=${encodeURIComponent(ATTACK)}`, objectRef: { resource: 'pods', subresource: 'exec', namespace: 'shop', name: `p${ATTACK}`, apiVersion: 'v1' } })}\n${IN_NAME} not json\n`);

const policy = join(dir, `policy${IN_NAME}.yaml`);
writeFileSync(
  policy,
  `apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: RequestResponse\n  users: [${evil}]\n  namespaces: [${evil}]\n  resources: [{group: "", resources: [secrets]}]\n- level: Metadata\n`,
);

function kubeharden(args: readonly string[], color = false) {
  const env = { ...process.env, CI: '1', NO_COLOR: color ? '' : '1', FORCE_COLOR: color ? '1' : '' };
  const result = spawnSync(CLI, args, { cwd: PROJECT_ROOT, encoding: 'utf8', env });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Nothing from the input acts on the terminal, and no line starts the way our verdict does unless it is ours. */
function assertNeutral(output: string, what: string, verdictLines = 0): void {
  const withoutOurColours = output.replace(PALETTE, '');
  const found = FORBIDDEN.exec(withoutOurColours);
  assert.equal(found, null, `${what}: U+${found?.[0].charCodeAt(0).toString(16).padStart(4, '0')} reached the output at ${JSON.stringify(withoutOurColours.slice(Math.max(0, (found?.index ?? 0) - 40), (found?.index ?? 0) + 20))}`);
  assert.equal(withoutOurColours.split('\n').filter((line) => /^\s*Result:/.test(line)).length, verdictLines, `${what}: only our own verdict starts a line with "Result:"`);
  assert.ok(withoutOurColours.includes('\\x1b'), `${what}: the attack is shown, escaped`);
}

describe('hostile text in human-readable output', () => {
  const runs: [string, string[], number][] = [
    ['scan table', ['scan', manifests], 1],
    ['scan markdown', ['scan', manifests, '--format', 'markdown'], 0],
    ['node table', ['node', '--root', root, '--fail-on', 'none'], 1],
    ['audit detect table', ['audit', 'detect', log], 1],
    ['audit detect markdown', ['audit', 'detect', log, '--format', 'markdown'], 0],
    ['audit lint table', ['audit', 'lint', policy], 1],
    ['audit explain', ['audit', 'explain', policy, '--resource', 'secrets', '--user', `u${ATTACK}`, '--namespace', `n${ATTACK}`], 0],
    ['audit estimate', ['audit', 'estimate', log, '--policy', policy], 0],
    ['netpol reach table', ['netpol', 'reach', manifests], 0],
    ['netpol reach dot', ['netpol', 'reach', manifests, '--format', 'dot'], 0],
    ['rbac who-can', ['rbac', 'who-can', 'get', 'secrets', manifests], 0],
    ['rbac subject', ['rbac', 'subject', 'User', `web${ATTACK}`, manifests], 0],
  ];
  for (const [what, args, verdicts] of runs) {
    it(`${what}: stdout and stderr carry no control character from the input`, () => {
      const result = kubeharden(args);
      assert.ok(result.code !== null && result.code <= 2, `${what} exited ${result.code}: ${result.stderr}`);
      assertNeutral(`${result.stdout}\n${result.stderr}`, what, verdicts);
    });
  }

  it('with colour forced, only our own colour sequences reach the terminal', () => {
    for (const args of [['scan', manifests], ['audit', 'detect', log], ['node', '--root', root]]) {
      const result = kubeharden(args, true);
      assert.match(result.stdout, PALETTE, 'colour is on');
      assertNeutral(`${result.stdout}\n${result.stderr}`, `${args[0]} with FORCE_COLOR`, 1);
    }
  });

  it('netpol explain names the hostile policy escaped', () => {
    const namespace = `web${ATTACK}`;
    const result = kubeharden(['netpol', 'reach', manifests, '--explain', `${namespace}/${namespace}->${namespace}/${namespace}:80`]);
    assert.equal(result.code, 2, result.stderr);
    assertNeutral(`${result.stdout}\n${result.stderr}`, 'netpol explain');
    assert.match(result.stdout, /ALLOWED|DENIED/);
  });

  it('warnings and progress lines on stderr (a duplicate object, a report path, a node root) are escaped', () => {
    const twice = join(dir, `twice${IN_NAME}`);
    mkdirSync(twice, { recursive: true });
    const pod = `apiVersion: v1\nkind: Pod\nmetadata: {name: ${JSON.stringify(`p${ATTACK}`)}, namespace: shop}\nspec: {containers: [{name: c, image: nginx}]}\n`;
    writeFileSync(join(twice, 'a.yaml'), pod);
    writeFileSync(join(twice, 'b.yaml'), pod);
    const scan = kubeharden(['scan', twice, '--fail-on', 'none', '--format', `json=${join(twice, `out${IN_NAME}.json`)}`]);
    assert.equal(scan.code, 0, scan.stderr);
    assert.match(scan.stderr, /warning: .*is also defined in/);
    assert.match(scan.stderr, /wrote json report to /);
    assertNeutral(scan.stderr, 'duplicate warning and report path');
    const hostileRoot = join(dir, `root${IN_NAME}`);
    mkdirSync(join(hostileRoot, 'etc', 'kubernetes', 'manifests'), { recursive: true });
    writeFileSync(
      join(hostileRoot, 'etc', 'kubernetes', 'manifests', 'kube-apiserver.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata: {name: kube-apiserver, namespace: kube-system}\nspec: {containers: [{name: a, image: "registry.k8s.io/kube-apiserver:v1.30.1", command: [kube-apiserver]}]}\n',
    );
    const node = kubeharden(['node', '--root', hostileRoot, '--fail-on', 'none']);
    assert.match(node.stderr, /judging it as/);
    assertNeutral(node.stderr, 'node version line');
  });

  it('error lines on stderr quote file names and input escaped', () => {
    const result = kubeharden(['audit', 'estimate', log, '--policy', policy]);
    assert.match(result.stderr, /^kubeharden: .*audit\\x1b\[2K\\r\\x1b\]0;owned\\x07.*\.log:3:1: not JSON/m);
    const usage = kubeharden(['audit', 'explain', join(manifests, `broken${IN_NAME}.yaml`), '--resource', 'pods']);
    assert.equal(usage.code, 2);
    assertNeutral(usage.stderr, 'usage error');
  });
});
