/**
 * Kubernetes component CVEs against the official feed (k8s-cves/cve-feed-osv, 47 records) and golang/vulndb's
 * k8s.io records: INDEX.md's examples, vendor gitVersions, and every interval of index.jsonl (120 rows, written
 * apart from the records by the data's own script) checked at its edges: the introduced release is affected, the
 * fixed release is not, and the patch release just before the fix is.
 */
import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { openAdvisoryDatabase } from '../../../src/vuln/db/database.js';
import { componentFindings, nodeComponentVersions } from '../../../src/vuln/k8s/cluster-components.js';
import { kubernetesCveFindings, kubernetesRelease, loadKubernetesAdvisories, type KubernetesComponent } from '../../../src/vuln/k8s/cves.js';
import { AdvisoryIndex } from '../../../src/vuln/match/advisory-index.js';
import { matchPackage } from '../../../src/vuln/match/match.js';
import { loadOsvDirectory } from '../../../src/vuln/osv/load.js';
import type { OsvRecord } from '../../../src/vuln/osv/record.js';
import { compareLenientSemver } from '../../../src/vuln/versions/semver.js';
import { needsShared, SHARED_PRESENT, sharedPath } from '../../support/paths.js';
import { tempDir } from '../../support/temp-dir.js';

const K8S = (...parts: string[]): string => sharedPath('vuln', 'k8s-cves', ...parts);

describe('Kubernetes CVEs of the cluster’s components', { skip: needsShared }, () => {
  let feed: OsvRecord[] = [];
  let goIndex = new AdvisoryIndex();
  before(async () => {
    if (!SHARED_PRESENT) return;
    const loaded = await loadKubernetesAdvisories(K8S('cve-feed-osv', 'vulns'));
    assert.deepEqual(loaded.problems, []);
    assert.equal(loaded.records.length, 47);
    feed = loaded.records;
    const go = await loadOsvDirectory(K8S('golang-vulndb-k8s', 'osv'));
    assert.deepEqual(go.problems, []);
    assert.equal(go.records.length + go.withdrawn.length, 68);
    goIndex = new AdvisoryIndex(go.records);
  });

  const ids = (component: KubernetesComponent, gitVersion: string): string[] =>
    kubernetesCveFindings([{ component, gitVersion }], feed).map((finding) => finding.id);

  it('INDEX.md’s examples: kubelet 1.27.1 → CVE-2023-2431 (not 1.27.2); apiserver 1.26.5 → CVE-2023-2727/2728 (not 1.26.6)', () => {
    assert.ok(ids('kubelet', 'v1.27.1').includes('CVE-2023-2431'));
    assert.ok(!ids('kubelet', 'v1.27.2').includes('CVE-2023-2431'));
    const at1265 = ids('kube-apiserver', 'v1.26.5');
    assert.ok(at1265.includes('CVE-2023-2727') && at1265.includes('CVE-2023-2728'), at1265.join(' '));
    const at1266 = ids('kube-apiserver', 'v1.26.6');
    assert.ok(!at1266.includes('CVE-2023-2727') && !at1266.includes('CVE-2023-2728'), at1266.join(' '));
  });

  it('a finding names the CVE, component, release, fixed release, severity and the nodes', () => {
    const findings = kubernetesCveFindings(
      [
        { component: 'kubelet', gitVersion: 'v1.27.1-eks-2f008fe', where: 'node/b' },
        { component: 'kubelet', gitVersion: 'v1.27.1-eks-2f008fe', where: 'node/a' },
      ],
      feed,
    );
    const finding = findings.find((entry) => entry.id === 'CVE-2023-2431')!;
    assert.equal(finding.component, 'kubelet');
    assert.equal(finding.package, 'k8s.io/kubelet');
    assert.equal(finding.version, '1.27.1');
    assert.equal(finding.fixedVersion, '1.27.2');
    assert.deepEqual(finding.where, ['node/a', 'node/b']);
    assert.ok(finding.severity.some((severity) => severity.type === 'CVSS_V3' && severity.score !== null));
  });

  it('vendor suffixes are stripped, Kubernetes pre-releases kept', () => {
    assert.equal(kubernetesRelease('v1.27.1'), '1.27.1');
    assert.equal(kubernetesRelease('v1.27.1-eks-2f008fe'), '1.27.1');
    assert.equal(kubernetesRelease('v1.28.3+k3s1'), '1.28.3');
    assert.equal(kubernetesRelease('v1.29.2-gke.1521000'), '1.29.2');
    assert.equal(kubernetesRelease('v1.26.8+rke2r1'), '1.26.8');
    assert.equal(kubernetesRelease('v1.30.0-rc.1'), '1.30.0-rc.1');
    assert.equal(kubernetesRelease('unknown'), null);
    assert.deepEqual(ids('kubelet', 'v1.27.1-eks-2f008fe'), ids('kubelet', 'v1.27.1'));
    assert.deepEqual(ids('kube-apiserver', 'v1.26.5+k3s1'), ids('kube-apiserver', 'v1.26.5'));
  });

  it('every interval of index.jsonl (120 rows), at its edges: 816 probes', () => {
    interface Row {
      readonly set: string;
      readonly id: string;
      readonly package: string;
      readonly intervals: [string, string | null][];
    }
    const rows = readFileSync(K8S('index.jsonl'), 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Row);
    assert.equal(rows.length, 120);
    const componentOf: Readonly<Record<string, KubernetesComponent>> = {
      'k8s.io/apiserver': 'kube-apiserver',
      'k8s.io/kubernetes': 'kube-apiserver',
      'k8s.io/kubelet': 'kubelet',
      'k8s.io/kube-proxy': 'kube-proxy',
      'k8s.io/controller-manager': 'kube-controller-manager',
      'k8s.io/kubectl': 'kubectl',
    };
    const feedIndex = new AdvisoryIndex(feed);
    /** Whether the row's advisory matches the row's package at a version, through the path a scan takes. */
    const matches = (row: Row, version: string): boolean => {
      if (row.set === 'golang-vulndb') return matchPackage({ ecosystem: 'Go', name: row.package, version }, goIndex).some((match) => match.id === row.id);
      const component = componentOf[row.package];
      // Add-ons and libraries in the feed (CSI drivers, ingress-nginx, client-go) are packages, not cluster components.
      if (!component) return matchPackage({ ecosystem: 'kubernetes', name: row.package, version }, feedIndex).some((match) => match.id === row.id);
      return kubernetesCveFindings([{ component, gitVersion: `v${version}` }], feed).some((finding) => finding.id === row.id && finding.package === row.package);
    };
    const inAnyInterval = (row: Row, version: string): boolean =>
      row.intervals.some(([from, to]) => (from === '0' || compareLenientSemver(version, from) >= 0) && (to === null || compareLenientSemver(version, to) < 0));
    let checked = 0;
    const wrong: string[] = [];
    for (const row of rows) {
      for (const [introduced, fixed] of row.intervals) {
        const probes = [introduced === '0' ? null : introduced, fixed, fixed && /\.(\d+)$/.test(fixed) && !fixed.endsWith('.0') ? fixed.replace(/(\d+)$/, (patch) => String(Number(patch) - 1)) : null];
        for (const version of probes) {
          if (version === null) continue;
          checked++;
          if (matches(row, version) !== inAnyInterval(row, version)) wrong.push(`${row.set} ${row.id} ${row.package} at ${version}: expected ${inAnyInterval(row, version)}`);
        }
      }
    }
    assert.deepEqual(wrong, []);
    assert.equal(checked, 816);
  });
});

describe('Kubernetes CVE records in the advisory database', { skip: needsShared }, () => {
  it('are told apart from package advisories wherever they are: a folder of records, or beside other ones', async (t) => {
    const db = tempDir('k8s-db', t);
    cpSync(K8S('cve-feed-osv', 'vulns'), join(db, 'kubernetes'), { recursive: true });
    cpSync(sharedPath('vuln', 'advisories', 'npm'), join(db, 'npm'), { recursive: true });
    const opened = await openAdvisoryDatabase(db);
    assert.deepEqual(opened.problems, [], 'the feed’s `kubernetes` ecosystem is accepted');
    assert.equal(opened.kubernetes.length, 47);
    assert.equal(opened.index.size, 7, 'the npm records only');
  });
});

describe('the cluster’s components as findings', { skip: needsShared }, () => {
  it('Node objects give their kubelet and kube-proxy versions; an empty or missing one is left out', () => {
    const node = (name: string, nodeInfo: object) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { nodeInfo } });
    assert.deepEqual(nodeComponentVersions([node('a', { kubeletVersion: 'v1.27.1', kubeProxyVersion: 'v1.27.1' }), node('b', { kubeletVersion: 'v1.30.2', kubeProxyVersion: '' }), node('c', {}), { kind: 'Pod', metadata: { name: 'p' } }]), [
      { component: 'kubelet', gitVersion: 'v1.27.1', where: 'node/a' },
      { component: 'kube-proxy', gitVersion: 'v1.27.1', where: 'node/a' },
      { component: 'kubelet', gitVersion: 'v1.30.2', where: 'node/b' },
    ]);
  });

  it('an API server at 1.26.5 gets CVE-2023-2727, CVE-2023-2728 and CVE-2024-3177 on the component itself; 1.26.6 only CVE-2024-3177', async () => {
    const feed = (await loadKubernetesAdvisories(K8S('cve-feed-osv', 'vulns'))).records;
    const rows = (gitVersion: string) =>
      componentFindings(kubernetesCveFindings([{ component: 'kube-apiserver', gitVersion }], feed)).map((f) => [f.controlId, f.resource.kind, f.resource.name, f.field, f.vulnerability?.id, f.vulnerability?.fixedVersion, f.severity, f.vulnerability?.priority]);
    // CVE-2023-2727 [1.26.0,1.26.6) 6.5; CVE-2023-2728 [1.26.0,1.26.6) 6.5; CVE-2024-3177 [0,1.27.13) 2.7 (the first fix above 1.26.x is 1.27.13).
    assert.deepEqual(rows('v1.26.5'), [
      ['VULN-K8S-COMPONENT', 'KubernetesComponent', 'kube-apiserver', 'gitVersion', 'CVE-2023-2727', '1.26.6', 'medium', 33],
      ['VULN-K8S-COMPONENT', 'KubernetesComponent', 'kube-apiserver', 'gitVersion', 'CVE-2023-2728', '1.26.6', 'medium', 33],
      ['VULN-K8S-COMPONENT', 'KubernetesComponent', 'kube-apiserver', 'gitVersion', 'CVE-2024-3177', '1.27.13', 'low', 14],
    ]);
    assert.deepEqual(rows('v1.26.6').map((row) => row[4]), ['CVE-2024-3177']);
  });
});
