/**
 * An overlay's objects are traced back to their base and patch files only when a field's position is asked for (a
 * finding, an object defined twice, or a subject the inventory keeps: a workload, a binding's roleRef…): a file
 * none of whose objects is asked about is never read, a base file's other documents are not parsed (those after the
 * object's, and those before it that do not mention it), and the positions are the ones an eager trace gave. With
 * the real kustomize (test/go-tools/kustomize).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Input } from '../../src/loader/inputs.js';
import type { InputError } from '../../src/loader/source.js';
import { renderOverlay } from '../../src/render/kustomize.js';
import type { FieldPath } from '../../src/vocabulary/field-path.js';
import { SourceFiles, type TextFile } from '../../src/render/source-files.js';
import { scanInputs } from '../../src/scan/scan.js';
import { TemplatePaths } from '../../src/kube/pod-templates.js';
import { NEWEST_KNOWN_MINOR } from '../../src/kube/version.js';
import { tempDir } from '../support/temp-dir.js';
import { HELM, KUSTOMIZE, needsTools } from './render-support.js';

/** The source files, noting each one asked for (each is read at its first ask) and each document whose value is. */
class RecordingFiles extends SourceFiles {
  readonly asked = new Set<string>();
  readonly parsed = new Set<string>();

  override get(path: string): TextFile | undefined {
    this.asked.add(path);
    const file = super.get(path);
    if (!file) return undefined;
    const parsed = this.parsed;
    return {
      text: file.text,
      lines: file.lines,
      get documents() {
        return file.documents.map((document, index) => ({
          text: document.text,
          get value() {
            parsed.add(`${path}#${index}`);
            return document.value;
          },
          locate: (at: FieldPath) => document.locate(at),
        }));
      },
    };
  }
}

const FILES: Readonly<Record<string, string>> = {
  'kustomization.yaml': 'resources:\n- app.yaml\n- settings.yaml\npatches:\n- path: privileged.yaml\n',
  'app.yaml': [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: banner',
    'data:',
    '  motd: hello',
    '---',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    'spec:',
    '  selector:',
    '    matchLabels:',
    '      app: web',
    '  template:',
    '    metadata:',
    '      labels:',
    '        app: web',
    '    spec:',
    '      containers:',
    '      - name: web',
    '        image: nginx:1.27',
    '---',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: web-extra',
    'data:',
    '  size: small',
    '',
  ].join('\n'),
  'settings.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  color: blue\n',
  'privileged.yaml': [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '      - name: web',
    '        securityContext:',
    '          privileged: true',
    '',
  ].join('\n'),
};

function overlay(t: Parameters<typeof tempDir>[1]): { dir: string; files: RecordingFiles; input: Input } {
  const dir = tempDir('render-lazy', t);
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(dir, name), text);
  const files = new RecordingFiles();
  const context = { tools: { kustomize: KUSTOMIZE, helm: HELM }, files, display: (absolute: string) => absolute };
  const input: Input = {
    name: dir,
    preferJson: false,
    read: () => Promise.reject(new Error('rendered, not read')),
    load: (errors) => renderOverlay(dir, context, errors),
  };
  return { dir, files, input };
}

describe('tracing an overlay lazily', { skip: needsTools }, () => {
  it('renders without reading a base or patch file', async (t) => {
    const { input, files } = overlay(t);
    const errors: InputError[] = [];
    const resources = [...((await input.load?.(errors)) ?? [])];
    assert.deepEqual(errors, []);
    assert.deepEqual(resources.map((resource) => `${resource.object['kind']}/${(resource.object['metadata'] as { name: string }).name}`).sort(), ['ConfigMap/banner', 'ConfigMap/settings', 'ConfigMap/web-extra', 'Deployment/web']);
    assert.deepEqual([...files.asked], []);
  });

  it("reads only the files of objects with findings, and points into them as before", async (t) => {
    const { dir, input, files } = overlay(t);
    const errors: InputError[] = [];
    const result = await scanInputs([input], errors, { framework: 'nsa', version: { minor: NEWEST_KNOWN_MINOR }, templatePaths: new TemplatePaths() });
    const findings = result.findings;
    result.store.close();
    assert.deepEqual(errors, []);
    assert.ok(findings.length > 0);
    // Every finding is about the Deployment: the ConfigMaps have none, so settings.yaml is never read.
    assert.deepEqual([...new Set(findings.map((finding) => `${finding.resource.kind}/${finding.resource.name}`))], ['Deployment/web']);
    assert.deepEqual([...files.asked].sort(), [join(dir, 'app.yaml'), join(dir, 'kustomization.yaml'), join(dir, 'privileged.yaml')]);
    // In app.yaml only the Deployment's document (the second) is parsed: the ConfigMap before it does not mention
    // it, and the one after it is not looked at.
    assert.deepEqual([...files.parsed].filter((key) => key.startsWith(join(dir, 'app.yaml'))), [`${join(dir, 'app.yaml')}#1`]);
    const at = (control: string) => {
      const finding = findings.find((candidate) => candidate.controlId === control);
      return finding && `${finding.location.file}:${finding.location.line}:${finding.location.column} ${finding.field}`;
    };
    // The patch that set the field; for a field no patch writes, its deepest part in the base (the container).
    assert.equal(at('POD-NO-PRIVILEGED'), `${join(dir, 'privileged.yaml')}:11:11 spec.template.spec.containers[0].securityContext.privileged`);
    assert.equal(at('POD-RUN-AS-NON-ROOT'), `${join(dir, 'app.yaml')}:22:9 spec.template.spec.containers[0].securityContext.runAsNonRoot`);
  });
});
