/**
 * Kustomize overlays scanned from their folders with the real kustomize (test/go-tools/kustomize): each field's
 * finding points at the file and line that wrote it (the base, a strategic-merge or JSON6902 patch file, an inline
 * patch, a component, a helmCharts entry), the user's files are never touched, and an overlay's patches and bases
 * are not read on their own. Before rendering, the overlay folder gave no finding (a false PASS) or an error.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, readlinkSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { onPath } from '../../src/render/tools.js';
import { runCli } from '../support/cli-process.js';
import { needsShared, sharedPath } from '../support/paths.js';
import { tempDir } from '../support/temp-dir.js';
import { FIXTURES, FIXTURES_DIR, HELM, findingLines, needsTools, scanJson, type JsonReport } from './render-support.js';

const PROD = `${FIXTURES}/kustomize/overlays/prod`;
const HIGH = ['POD-NO-PRIVILEGED', 'POD-NO-HOST-NAMESPACES', 'POD-NO-DANGEROUS-CAPS'];

function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      // A chart's charts/ may link to a chart elsewhere in the tree (helm follows the link): recorded as the link.
      if (entry.isSymbolicLink()) files.set(path, `-> ${readlinkSync(path)}`);
      else if (entry.isDirectory()) walk(path);
      else files.set(path, `${statSync(path).mtimeMs} ${readFileSync(path, 'utf8')}`);
    }
  };
  walk(dir);
  return files;
}

describe('scan of a Kustomize overlay folder', { skip: needsTools }, () => {
  it('points each finding at the base, patch file, inline patch or component that wrote the field', () => {
    const { result, report } = scanJson([PROD]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(report.errors, []);
    assert.deepEqual(findingLines(report, HIGH), [
      // capabilities.add in the component's Pod, line 11 of debug-pod.yaml
      `POD-NO-DANGEROUS-CAPS Pod/prod-debug ${FIXTURES}/kustomize/components/probe/debug-pod.yaml:11:15 spec.containers[0].securityContext.capabilities.add[0]`,
      // the JSON6902 patch file's `value: true`
      `POD-NO-HOST-NAMESPACES Deployment/prod-web ${FIXTURES}/kustomize/overlays/prod/host-network.yaml:3:3 spec.template.spec.hostNetwork`,
      // the inline JSON6902 patch in kustomization.yaml: its `patch:` entry
      `POD-NO-HOST-NAMESPACES Deployment/prod-web ${FIXTURES}/kustomize/overlays/prod/kustomization.yaml:21:3 spec.template.spec.hostPID`,
      // the strategic-merge patch file's privileged: true
      `POD-NO-PRIVILEGED Deployment/prod-web ${FIXTURES}/kustomize/overlays/prod/privileged.yaml:11:11 spec.template.spec.containers[0].securityContext.privileged`,
    ]);
    // A field no patch writes points into the base: the container's securityContext (line 27), where runAsNonRoot is.
    const escalation = report.findings.find((finding) => finding.controlId === 'POD-NO-PRIV-ESCALATION');
    assert.equal(`${escalation?.location.file}:${escalation?.location.line}`, `${FIXTURES}/kustomize/base/app.yaml:27`);
    for (const finding of report.findings) assert.equal(finding.location.renderedFrom, `Kustomize overlay ${PROD}`);
    // The build metadata annotations are kustomize's, not the user's: no object keeps them.
    assert.ok(!result.stdout.includes('config.kubernetes.io/origin'));
  });

  it('renders each overlay in a tree once: bases, components and patches are not read on their own', () => {
    const before = snapshot(FIXTURES_DIR);
    const { report } = scanJson([`${FIXTURES}/kustomize`]);
    assert.deepEqual(report.errors, []);
    const resources = new Set(report.findings.map((finding) => `${finding.resource.kind}/${finding.resource.namespace}/${finding.resource.name}`));
    // prod (Service, Deployment, Pod from the component) and with-chart (the chart's Deployment); never the bare base's
    // `web`, the component's unprefixed `debug`, nor the patch files as objects of their own.
    // (the chart's Deployment has no namespace: helmCharts' namespace is only what the template writes).
    assert.deepEqual([...resources].sort(), ['Deployment/null/shop-web', 'Deployment/shop/prod-web', 'Pod/shop/prod-debug']);
    assert.deepEqual(snapshot(FIXTURES_DIR), before, 'the scan changed a file under the fixtures');
  });

  it('renders a Helm chart inside an overlay (helmCharts, --enable-helm) and points at its helmCharts entry', () => {
    const { report } = scanJson([`${FIXTURES}/kustomize/overlays/with-chart`]);
    assert.deepEqual(report.errors, []);
    assert.deepEqual(findingLines(report, ['POD-NO-HOST-NAMESPACES']), [
      `POD-NO-HOST-NAMESPACES Deployment/shop-web ${FIXTURES}/kustomize/overlays/with-chart/kustomization.yaml:2:3 spec.template.spec.hostNetwork`,
    ]);
  });

  it('a render failure is an error naming the overlay, exit 2, and the rest of the tree is still scanned', (t) => {
    const { result, report } = scanJson([`${FIXTURES}/kustomize/overlays/prod`, `${FIXTURES}/broken`]);
    assert.equal(result.code, 2);
    assert.equal(report.errors.length, 1);
    assert.equal(report.errors[0]?.file, `${FIXTURES}/broken/overlay`);
    assert.match(report.errors[0]?.message ?? '', /^Kustomize overlay not rendered, so not scanned: .*missing\.yaml/);
    assert.ok(report.findings.some((finding) => finding.controlId === 'POD-NO-PRIVILEGED'));
    t.diagnostic(report.errors[0]?.message ?? '');
  });

  it('without kustomize or kubectl the error says how to get one', () => {
    const { result, report } = scanJson([PROD, '--kustomize', '/nonexistent/kustomize']);
    assert.equal(result.code, 2);
    assert.match(report.errors[0]?.message ?? '', /cannot run \/nonexistent\/kustomize/);
  });
});

const kubectl = onPath('kubectl');

describe('kubectl kustomize, when no kustomize is on PATH', { skip: needsTools || (kubectl === undefined && 'kubectl is not on PATH') }, () => {
  it('renders the overlay as kustomize build does: the same findings at the same places', (t) => {
    // PATH holds node (the CLI's #!) and kubectl only, so the scan falls back to `kubectl kustomize DIR`.
    const bin = tempDir('kubectl-only', t);
    symlinkSync(process.execPath, join(bin, 'node'));
    symlinkSync(kubectl as string, join(bin, 'kubectl'));
    const result = runCli(['scan', '--helm', HELM, '-o', 'json', '--fail-on', 'none', PROD], { env: { PATH: bin }, timeoutMs: 120_000 });
    const report = JSON.parse(result.stdout) as JsonReport;
    assert.deepEqual(report.errors, []);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(findingLines(report), findingLines(scanJson([PROD]).report));
  });
});

describe('the real-world overlays of the corpus', { skip: needsTools || needsShared }, () => {
  // Each of these overlays lists one deploy.yaml: scanned through kustomize, every finding must be the same, at the
  // same file, line and column, as a scan of deploy.yaml itself.
  const root = sharedPath('corpus', 'real-world', 'ingress-nginx', 'static', 'provider');
  const overlays = needsShared ? [] : ['aws', 'aws/nlb-with-tls-termination', 'baremetal', 'cloud', 'do', 'exoscale', 'kind', 'oracle', 'scw'];
  it('ingress-nginx: each provider overlay traces to the same lines as its deploy.yaml scanned directly', () => {
    let compared = 0;
    for (const overlay of overlays) {
      const folder = join(root, overlay);
      const direct = findingLines(scanJson(['deploy.yaml'], { cwd: folder }).report);
      // aws holds another overlay (nlb-with-tls-termination), compared on its own: left out here with --exclude.
      const { report } = scanJson(['.', '--exclude', 'nlb-with-tls-termination/'], { cwd: folder });
      assert.deepEqual(report.errors, [], overlay);
      assert.deepEqual(findingLines(report), direct, overlay);
      compared += direct.length;
    }
    assert.equal(overlays.length, 9);
    assert.ok(compared > 0);
  });
});
