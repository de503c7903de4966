/** Each automatic fix, table-driven: what it clears (valid) and what it must leave, saying why (invalid). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import type { OutcomeStatus } from '../../src/fix/fix-inputs.js';
import { CONTROL_FIXES } from '../../src/fix/fixes/index.js';
import { CONTROLS } from '../../src/controls/index.js';
import { fixText } from './support.js';
import { fix as seccompFix } from '../../src/fix/fixes/pod-seccomp-required.js';
import { fix as appArmorFix } from '../../src/fix/fixes/pod-apparmor-not-unconfined.js';
import { parseKubeVersion } from '../../src/kube/version.js';

const pod = (spec: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${spec}`;
const APPARMOR_KEY = 'container.apparmor.security.beta.kubernetes.io/app';
const podWithAnnotation = (value: string, spec: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    ${APPARMOR_KEY}: ${value}\nspec:\n${spec}`;
const container = (extra = '') => `  containers:\n  - name: app\n    image: app@sha256:1\n${extra}`;

interface Case {
  readonly name: string;
  readonly text: string;
  readonly control: string;
  readonly expect: OutcomeStatus;
  readonly version?: string;
  readonly risk?: 'safe' | 'review';
  /** Only the findings whose field contains this. */
  readonly field?: string;
  /** Checks on the fixed object. */
  readonly fixed?: (object: Record<string, any>) => void;
}

const cases: Case[] = [
  {
    name: 'seccomp: sets RuntimeDefault on the pod',
    text: pod(container()),
    control: 'POD-SECCOMP-REQUIRED',
    expect: 'fixed',
    fixed: (o) => assert.equal(o.spec.securityContext.seccompProfile.type, 'RuntimeDefault'),
  },
  {
    name: 'seccomp: a container that asks for Unconfined is a decision (manual)',
    text: pod(container('    securityContext:\n      seccompProfile: {type: Unconfined}\n')),
    control: 'POD-SECCOMP-REQUIRED',
    expect: 'manual',
  },
  {
    name: 'allowPrivilegeEscalation: sets false, replacing true',
    text: pod(container('    securityContext:\n      allowPrivilegeEscalation: true\n')),
    control: 'POD-NO-PRIV-ESCALATION',
    expect: 'fixed',
    risk: 'safe',
    fixed: (o) => assert.equal(o.spec.containers[0].securityContext.allowPrivilegeEscalation, false),
  },
  {
    name: 'allowPrivilegeEscalation: a privileged container is left manual (the API server rejects both)',
    text: pod(container('    securityContext:\n      privileged: true\n')),
    control: 'POD-NO-PRIV-ESCALATION',
    expect: 'manual',
  },
  {
    name: 'capabilities: drops ALL and keeps NET_BIND_SERVICE for port 80',
    text: pod(container('    ports:\n    - containerPort: 80\n')),
    control: 'POD-CAPS-DROP-ALL',
    expect: 'fixed',
    fixed: (o) => assert.deepEqual(o.spec.containers[0].securityContext.capabilities, { drop: ['ALL'], add: ['NET_BIND_SERVICE'] }),
  },
  {
    name: 'capabilities: no NET_BIND_SERVICE for port 8080; an existing drop list is extended',
    text: pod(container('    ports:\n    - containerPort: 8080\n    securityContext:\n      capabilities:\n        drop: [NET_RAW]\n')),
    control: 'POD-CAPS-DROP-ALL',
    expect: 'fixed',
    fixed: (o) => assert.deepEqual(o.spec.containers[0].securityContext.capabilities, { drop: ['NET_RAW', 'ALL'] }),
  },
  {
    name: 'capabilities: a review fix is left for review under --risk safe',
    text: pod(container()),
    control: 'POD-CAPS-DROP-ALL',
    expect: 'review',
    risk: 'safe',
  },
  {
    name: 'capabilities: an added SYS_ADMIN is a decision (manual)',
    text: pod(container('    securityContext:\n      capabilities:\n        add: [SYS_ADMIN]\n')),
    control: 'POD-CAPS-DROP-ALL',
    field: '.add',
    expect: 'manual',
    fixed: (o) => assert.deepEqual(o.spec.containers[0].securityContext.capabilities, { add: ['SYS_ADMIN'], drop: ['ALL'] }),
  },
  {
    name: 'runAsNonRoot: one non-root user and group for the whole pod',
    text: pod(container()),
    control: 'POD-RUN-AS-NON-ROOT',
    expect: 'fixed',
    fixed: (o) => assert.deepEqual(o.spec.securityContext, { seccompProfile: { type: 'RuntimeDefault' }, runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001 }),
  },
  {
    name: 'runAsNonRoot: a user already chosen is kept, and false on a container becomes true',
    text: pod(`  securityContext:\n    runAsUser: 1000\n${container('    securityContext:\n      runAsNonRoot: false\n')}`),
    control: 'POD-RUN-AS-NON-ROOT',
    expect: 'fixed',
    fixed: (o) => {
      assert.equal(o.spec.securityContext.runAsUser, 1000);
      assert.equal(o.spec.containers[0].securityContext.runAsNonRoot, true);
    },
  },
  {
    name: 'readOnlyRootFilesystem: set, with an emptyDir at /tmp',
    text: pod(container()),
    control: 'POD-READONLY-ROOTFS',
    expect: 'fixed',
    fixed: (o) => {
      assert.equal(o.spec.containers[0].securityContext.readOnlyRootFilesystem, true);
      assert.deepEqual(o.spec.containers[0].volumeMounts, [{ name: 'kubeharden-tmp', mountPath: '/tmp' }]);
      assert.deepEqual(o.spec.volumes, [{ name: 'kubeharden-tmp', emptyDir: {} }]);
    },
  },
  {
    name: 'AppArmor 1.30: an Unconfined field becomes RuntimeDefault',
    text: pod(container('    securityContext:\n      appArmorProfile: {type: Unconfined}\n')),
    control: 'POD-APPARMOR-NOT-UNCONFINED',
    version: '1.30',
    expect: 'fixed',
    fixed: (o) => assert.deepEqual(o.spec.containers[0].securityContext.appArmorProfile, { type: 'RuntimeDefault' }),
  },
  {
    name: 'AppArmor 1.30: an unconfined annotation becomes runtime/default, and the container gets the field that agrees',
    text: podWithAnnotation('unconfined', container()),
    control: 'POD-APPARMOR-NOT-UNCONFINED',
    version: '1.30',
    expect: 'fixed',
    fixed: (o) => {
      assert.equal(o.metadata.annotations[APPARMOR_KEY], 'runtime/default');
      assert.deepEqual(o.spec.containers[0].securityContext.appArmorProfile, { type: 'RuntimeDefault' });
    },
  },
  {
    name: 'AppArmor 1.29: an unconfined annotation becomes runtime/default, and no field (1.29 does not read it)',
    text: podWithAnnotation('unconfined', container()),
    control: 'POD-APPARMOR-NOT-UNCONFINED',
    version: '1.29',
    expect: 'fixed',
    fixed: (o) => {
      assert.equal(o.metadata.annotations[APPARMOR_KEY], 'runtime/default');
      assert.equal(o.spec.containers[0].securityContext?.appArmorProfile, undefined);
    },
  },
  {
    name: 'AppArmor: a review fix is left for review under --risk safe',
    text: podWithAnnotation('unconfined', container()),
    control: 'POD-APPARMOR-NOT-UNCONFINED',
    version: '1.29',
    risk: 'safe',
    expect: 'review',
    fixed: (o) => assert.equal(o.metadata.annotations[APPARMOR_KEY], 'unconfined'),
  },
  {
    name: 'AppArmor: a localhostProfile under another type is a decision (manual)',
    text: pod(container('    securityContext:\n      appArmorProfile: {type: Unconfined, localhostProfile: my-profile}\n')),
    control: 'POD-APPARMOR-NOT-UNCONFINED',
    version: '1.30',
    expect: 'manual',
  },
  {
    name: 'hostNetwork is manual, with the decision to make',
    text: pod(`  hostNetwork: true\n${container()}`),
    control: 'POD-NO-HOST-NAMESPACES',
    expect: 'manual',
  },
];

describe('fixes per control', () => {
  for (const testCase of cases) {
    it(testCase.name, async () => {
      const framework = testCase.control === 'POD-READONLY-ROOTFS' ? 'nsa' : 'pss-restricted';
      const result = await fixText(testCase.text, { risk: testCase.risk ?? 'review', framework, ...(testCase.version ? { version: testCase.version } : {}) });
      const outcomes = result.outcomes.filter((outcome) => outcome.finding.controlId === testCase.control && outcome.finding.field.includes(testCase.field ?? ''));
      assert.ok(outcomes.length > 0, `${testCase.control} reports the input`);
      for (const outcome of outcomes) {
        assert.equal(outcome.status, testCase.expect, `${outcome.finding.message}: ${outcome.reason}`);
        assert.ok(outcome.reason.length > 0, 'every outcome says why');
      }
      const fixed = yaml.load(result.files[0]?.fixed ?? '') as Record<string, any>;
      testCase.fixed?.(fixed);
      if (testCase.expect !== 'fixed' && testCase.control !== 'POD-SECCOMP-REQUIRED') {
        assert.ok(result.remaining.some((finding) => finding.controlId === testCase.control), 'an unfixed finding is still in the re-scan');
      }
    });
  }

  it('before 1.19 seccomp is set through the pod annotation, from 1.19 through the field', () => {
    const template = { spec: { containers: [{ name: 'a' }] }, metadata: {}, specPath: ['spec'], metadataPath: ['metadata'] };
    assert.deepEqual(seccompFix.plan({ template, version: parseKubeVersion('1.18') }).edits, [
      { op: 'set', path: ['metadata', 'annotations', 'seccomp.security.alpha.kubernetes.io/pod'], value: 'runtime/default' },
    ]);
    assert.deepEqual(seccompFix.plan({ template, version: parseKubeVersion('1.19') }).edits, [
      { op: 'set', path: ['spec', 'securityContext', 'seccompProfile', 'type'], value: 'RuntimeDefault' },
    ]);
  });

  it('before 1.30 AppArmor is fixed through the annotation only, from 1.30 also through the field', () => {
    const key = 'container.apparmor.security.beta.kubernetes.io/a';
    const template = { spec: { containers: [{ name: 'a' }] }, metadata: { annotations: { [key]: 'unconfined' } }, specPath: ['spec'], metadataPath: ['metadata'] };
    const annotation = { op: 'set', path: ['metadata', 'annotations', key], value: 'runtime/default' };
    assert.deepEqual(appArmorFix.plan({ template, version: parseKubeVersion('1.29') }).edits, [annotation]);
    assert.deepEqual(appArmorFix.plan({ template, version: parseKubeVersion('1.30') }).edits, [
      annotation,
      { op: 'set', path: ['spec', 'containers', 0, 'securityContext', 'appArmorProfile', 'type'], value: 'RuntimeDefault' },
    ]);
  });

  it('every fix names a control of the catalog, once', () => {
    const ids = new Set(CONTROLS.map((control) => control.meta.id));
    const fixIds = CONTROL_FIXES.map((fix) => fix.controlId);
    assert.deepEqual(fixIds.filter((id) => !ids.has(id)), []);
    assert.equal(new Set(fixIds).size, fixIds.length);
  });
});
