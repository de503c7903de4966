/**
 * Helm chart folders scanned with the real helm (test/go-tools/helm): rendered with the scan's values, --set and
 * --kube-version; findings point at the template file and the line that writes the field (its subchart's template
 * for a subchart's object); kubeVersion constraints and missing values are errors naming the chart, and the rest of
 * the tree is still scanned; a library chart is a notice (helm renders it only through the charts that use it). Before rendering, a chart folder was an error (its templates are not
 * YAML) and nothing of it was judged. A real public chart (ingress-nginx's) gives the findings of its rendered output
 * scanned as a file.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../support/cli-process.js';
import { tempDir } from '../support/temp-dir.js';
import { LIBRARY_CHART_NOTICE } from '../../src/render/collect.js';
import { FIXTURES, HELM, KUSTOMIZE, findingLines, needsTools, scanJson, type JsonFinding } from './render-support.js';

const SHOP = `${FIXTURES}/helm/shop`;
/** A real public chart, copied unchanged (test/render/fixtures/real-world/README.md). */
const INGRESS_NGINX = `${FIXTURES}/real-world/ingress-nginx`;
const PLATFORM = `${FIXTURES}/helm-library`;
const CONTROLS = ['POD-NO-PRIVILEGED', 'POD-NO-HOST-NAMESPACES', 'POD-NO-PRIV-ESCALATION'];

describe('scan of a Helm chart folder', { skip: needsTools }, () => {
  it('points at the line of the template (or subchart template) that writes the field', () => {
    const { result, report } = scanJson([SHOP]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(report.errors, []);
    assert.deepEqual(findingLines(report, CONTROLS), [
      // the container's securityContext (line 19): allowPrivilegeEscalation is missing there
      `POD-NO-HOST-NAMESPACES StatefulSet/release-name-cache ${SHOP}/charts/cache/templates/statefulset.yaml:13:7 spec.template.spec.hostNetwork`,
      `POD-NO-PRIV-ESCALATION Deployment/release-name-web ${SHOP}/templates/deployment.yaml:19:9 spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation`,
      `POD-NO-PRIV-ESCALATION StatefulSet/release-name-cache ${SHOP}/charts/cache/templates/statefulset.yaml:15:7 spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation`,
    ]);
    for (const finding of report.findings) assert.equal(finding.location.renderedFrom, `Helm chart ${SHOP}`);
  });

  it("reads the chart's templates while helm runs: a template gone by the time helm exits still gives the field's line", (t) => {
    // A helm that renders with the real one, then moves the chart's templates away before it exits: the old code
    // read them only after the exit, found nothing and pointed at the chart folder instead.
    const dir = tempDir('helm-read-ahead', t);
    const chart = join(dir, 'shop');
    cpSync(SHOP, chart, { recursive: true });
    const wrapper = join(dir, 'helm');
    writeFileSync(wrapper, `#!/bin/sh\n"${HELM}" "$@"\nstatus=$?\nmv "${chart}/templates" "${chart}/templates-gone"\nexit $status\n`);
    chmodSync(wrapper, 0o755);
    const result = runCli(['scan', '--helm', wrapper, '-o', 'json', '--fail-on', 'none', 'shop'], { cwd: dir, timeoutMs: 120_000 });
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { findings: JsonFinding[] };
    assert.deepEqual(findingLines({ findings: report.findings, errors: [], summary: {} }, CONTROLS), [
      'POD-NO-HOST-NAMESPACES StatefulSet/release-name-cache shop/charts/cache/templates/statefulset.yaml:13:7 spec.template.spec.hostNetwork',
      'POD-NO-PRIV-ESCALATION Deployment/release-name-web shop/templates/deployment.yaml:19:9 spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation',
      'POD-NO-PRIV-ESCALATION StatefulSet/release-name-cache shop/charts/cache/templates/statefulset.yaml:15:7 spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation',
    ]);
  });

  it("a real chart (ingress-nginx's): the findings of its helm template output scanned as a file, each at the template helm names", (t) => {
    const { result, report } = scanJson([INGRESS_NGINX, '--k8s-version', '1.33']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(report.errors, []);
    assert.equal(report.summary.resources, 18);
    const rendered = spawnSync(HELM, ['template', INGRESS_NGINX, '--kube-version', 'v1.33.0'], { encoding: 'utf8' });
    assert.equal(rendered.status, 0, rendered.stderr);
    const file = join(tempDir('render-ingress-nginx', t), 'rendered.yaml');
    writeFileSync(file, rendered.stdout);
    const plain = scanJson([file, '--k8s-version', '1.33']).report;
    const what = (finding: JsonFinding) => `${finding.controlId} ${finding.resource.kind}/${finding.resource.name} ${finding.field}`;
    assert.equal(report.findings.length, 42);
    assert.deepEqual(report.findings.map(what).sort(), plain.findings.map(what).sort());
    // The file: the template helm's `# Source:` names for the object.
    const sources = new Map(plain.findings.map((finding) => [`${finding.resource.kind}/${finding.resource.name}`, finding.location.templateSource]));
    for (const finding of report.findings) {
      const source = sources.get(`${finding.resource.kind}/${finding.resource.name}`);
      assert.equal(finding.location.file, `${INGRESS_NGINX}/${source?.slice(source.indexOf('/') + 1)}`);
      assert.equal(finding.location.renderedFrom, `Helm chart ${INGRESS_NGINX}`);
    }
    // The line: the template line that writes the field (its value is a template action).
    assert.deepEqual(findingLines(report, ['POD-SA-TOKEN-NOT-AUTOMOUNTED', 'NET-NO-NODEPORT']), [
      `NET-NO-NODEPORT Service/release-name-ingress-nginx-controller ${INGRESS_NGINX}/templates/controller-service.yaml:21:3 spec.type`,
      `POD-SA-TOKEN-NOT-AUTOMOUNTED Deployment/release-name-ingress-nginx-controller ${INGRESS_NGINX}/templates/controller-deployment.yaml:219:7 spec.template.spec.automountServiceAccountToken`,
      `POD-SA-TOKEN-NOT-AUTOMOUNTED Job/release-name-ingress-nginx-admission-create ${INGRESS_NGINX}/templates/admission-webhooks/job-patch/job-createSecret.yaml:76:7 spec.template.spec.automountServiceAccountToken`,
      `POD-SA-TOKEN-NOT-AUTOMOUNTED Job/release-name-ingress-nginx-admission-patch ${INGRESS_NGINX}/templates/admission-webhooks/job-patch/job-patchWebhook.yaml:78:7 spec.template.spec.automountServiceAccountToken`,
    ]);
  });

  it('passes --values, --set and --set-string to helm template; the report names the values files', () => {
    const { report } = scanJson([SHOP, '--values', `${SHOP}/prod-values.yaml`, '--set', 'cache.hostNetwork=false', '--set-string', 'image=nginx:1.28']);
    assert.deepEqual(findingLines(report, ['POD-NO-PRIVILEGED', 'POD-NO-HOST-NAMESPACES']), [
      `POD-NO-PRIVILEGED Deployment/release-name-web ${SHOP}/templates/deployment.yaml:22:11 spec.template.spec.containers[0].securityContext.privileged`,
    ]);
    assert.ok(report.findings.every((finding) => finding.location.renderedFrom === `Helm chart ${SHOP} with values ${SHOP}/prod-values.yaml`));
    const markdown = runCli(['scan', SHOP, '--helm', HELM, '--values', `${SHOP}/prod-values.yaml`, '-o', 'markdown', '--fail-on', 'none']);
    assert.match(markdown.stdout, new RegExp(`${SHOP}/templates/deployment\\.yaml:22 \\(Helm chart ${SHOP} with values ${SHOP}/prod-values\\.yaml\\)`));
    const sarif = JSON.parse(runCli(['scan', SHOP, '--helm', HELM, '--values', `${SHOP}/prod-values.yaml`, '-o', 'sarif', '--fail-on', 'none']).stdout) as {
      runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }[]; properties: { renderedFrom?: string } }[] }[];
    };
    const privileged = sarif.runs[0]?.results.find((entry) => entry.ruleId === 'POD-NO-PRIVILEGED');
    assert.equal(privileged?.locations[0]?.physicalLocation.artifactLocation.uri, `${SHOP}/templates/deployment.yaml`);
    assert.equal(privileged?.locations[0]?.physicalLocation.region?.startLine, 22);
    assert.equal(privileged?.properties.renderedFrom, `Helm chart ${SHOP} with values ${SHOP}/prod-values.yaml`);
  });

  it('kubeVersion constraints and missing values: an error naming the chart, exit 2, the rest still scanned', () => {
    const { result, report } = scanJson([`${FIXTURES}/helm`, '--k8s-version', '1.32']);
    assert.equal(result.code, 2);
    assert.deepEqual(
      report.errors.map((error) => `${error.file}: ${error.message}`),
      [
        `${FIXTURES}/helm/needs-value: Helm chart not rendered, so not scanned: execution error at (needs-value/templates/pod.yaml:4:11): podName is required`,
        `${FIXTURES}/helm/new-only: Helm chart not rendered, so not scanned: chart requires kubeVersion: >=1.33.0-0 which is incompatible with Kubernetes v1.32.0`,
      ],
    );
    // shop (and its subchart, once) was still scanned; no template was parsed as YAML on its own.
    assert.deepEqual([...new Set(report.findings.map((finding) => `${finding.resource.kind}/${finding.resource.name}`))].sort(), ['Deployment/release-name-web', 'StatefulSet/release-name-cache']);
    // At 1.33 the version gate opens and --set gives the missing value: every chart renders, and the library is a notice.
    const later = scanJson([`${FIXTURES}/helm`, '--k8s-version', '1.33', '--set', 'podName=probe']);
    assert.equal(later.result.code, 0, later.result.stderr);
    assert.deepEqual(later.report.errors, []);
    assert.deepEqual(later.report.notices, [{ file: `${FIXTURES}/helm/library`, line: null, column: null, message: LIBRARY_CHART_NOTICE }]);
    assert.ok(later.report.findings.some((finding) => finding.resource.name === 'probe') && later.report.findings.some((finding) => finding.resource.name === 'new'));
  });

  it('a library chart in the tree is a notice: not rendered, not read as YAML, listed in table and JSON, exit code unaffected', () => {
    // platform/ holds common (type: library, with a template that is not YAML until rendered) and api, which uses it.
    const { result, report } = scanJson([PLATFORM]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(report.errors, []);
    assert.deepEqual(report.notices, [{ file: `${PLATFORM}/common`, line: null, column: null, message: LIBRARY_CHART_NOTICE }]);
    // The library's template is judged where it is used: api's pod, in api's template that includes it (api's
    // charts/common links to the library, as `helm dependency build` would vendor it).
    const privileged = report.findings.filter((finding) => finding.controlId === 'POD-NO-PRIVILEGED');
    assert.deepEqual(
      privileged.map((finding) => `${finding.resource.kind}/${finding.resource.name} ${finding.location.file} ${finding.field} ${finding.location.renderedFrom}`),
      [`Pod/release-name-api ${PLATFORM}/api/templates/pod.yaml spec.containers[0].securityContext.privileged Helm chart ${PLATFORM}/api`],
    );
    assert.equal(report.summary['inputs'], 1);
    // The gate counts only findings: a tree of nothing but a library chart passes, and the table lists the notice.
    const alone = runCli(['scan', `${PLATFORM}/common`, '--helm', HELM]);
    assert.equal(alone.code, 0, alone.stderr);
    assert.equal(alone.stderr, '');
    assert.match(alone.stdout, new RegExp(`Notices \\(1\\): left out on purpose, not errors:\n  ${PLATFORM}/common  Helm library chart \\(type: library\\): not rendered on its own`));
    assert.match(alone.stdout, /Result: PASS/);
  });

  it('--exclude leaves a chart folder out before it is rendered', () => {
    const { result, report } = scanJson([`${FIXTURES}/helm`, '--exclude', 'library/', '--exclude', `${FIXTURES}/helm/needs-value`, '--exclude', 'new-*']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(report.errors, []);
  });

  it('without helm: an error saying how to get it', () => {
    // PATH keeps only node's own folder (the CLI's `#!/usr/bin/env node` needs it), which holds no helm.
    const result = runCli(['scan', SHOP, '--kustomize', KUSTOMIZE, '-o', 'json'], { env: { PATH: dirname(process.execPath) } });
    assert.equal(result.code, 2);
    const report = JSON.parse(result.stdout) as { errors: { message: string }[] };
    assert.deepEqual(report.errors.map((error) => error.message), ['Helm chart not rendered, so not scanned: helm is not on PATH: install Helm 3, or name the binary with --helm PATH']);
  });
});
