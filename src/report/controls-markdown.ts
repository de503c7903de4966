import type { Control } from '../engine/types.js';
import { NEWEST_KNOWN_MINOR } from '../kube/version.js';
import { catalogEntry, fixLabel, type CatalogEntry, type FixCatalog } from './catalog.js';

/** docs/controls.md, generated from the catalog so the docs can never drift from the code. */
export function renderControlsMarkdown(controls: readonly Control[], fixes: FixCatalog): string {
  const entries = controls.map((control) => catalogEntry(control.meta, fixes));
  const lines = [
    '# Controls',
    '',
    '<!-- Generated from the control catalog by `npm run docs`; do not edit by hand. -->',
    '',
    `kubeharden knows ${entries.length} controls. Versions are Kubernetes minor versions; the newest the catalog knows is`,
    `1.${NEWEST_KNOWN_MINOR}, and newer versions are judged as 1.${NEWEST_KNOWN_MINOR} (the way the Pod Security Admission plugin clamps them).`,
    '`kubeharden controls --format json` prints the same data. The fix column says what `kubeharden fix` does: `safe`',
    'and `review` are automatic fixes of that risk class, `manual` needs a decision (see [fix.md](fix.md)).',
    '',
    '| id | title | severity | PSS check | Kubernetes | frameworks | fix |',
    '|---|---|---|---|---|---|---|',
    ...entries.map(
      (entry) =>
        `| [${entry.id}](#${anchor(entry.id)}) | ${entry.title} | ${entry.severity} | ${entry.pss ? `${entry.pss.level} \`${entry.pss.check}\`` : '—'} | ${entry.kubernetesVersions.range} | ${entry.frameworks.join(', ')} | ${fixLabel(entry.fix)} |`,
    ),
    '',
    '## Frameworks',
    '',
    '- `nsa` (default): the NSA/CISA Kubernetes Hardening Guidance, brought up to date. Pod security is judged by the',
    '  Pod Security Standards that replaced PodSecurityPolicy, plus the guide\'s other workload controls: immutable',
    '  file systems, non-root groups, sensitive host paths, dangerous capabilities, service accounts, resource',
    '  limits, images, secrets and namespaces. Where a PSS control and the stricter one that replaces it both flag the',
    '  same field, only the more specific finding is kept.',
    '- `pss-baseline`, `pss-restricted`: exactly the Pod Security Admission checks of that level at the chosen version,',
    '  including its override rule (at `restricted`, for example, `capabilities_restricted` replaces',
    '  `capabilities_baseline` from 1.22).',
    '- `all`: every control.',
    '',
    ...entries.flatMap(section),
  ];
  return `${lines.join('\n')}\n`;
}

function anchor(id: string): string {
  return id.toLowerCase();
}

export function section(entry: CatalogEntry): string[] {
  const references = [
    ...(entry.references.kubescape ?? []).map((id) => `Kubescape ${id}`),
    ...(entry.references.trivy ?? []).map((id) => `Trivy ${id}`),
    ...(entry.references.cis ?? []).map((id) => `CIS ${id}`),
    ...(entry.references.checkov ?? []).map((id) => `Checkov ${id}`),
    ...(entry.references.kubeLinter ?? []).map((id) => `kube-linter ${id}`),
    ...(entry.references.kubesec ?? []).map((id) => `kubesec ${id}`),
    ...(entry.references.polaris ?? []).map((id) => `Polaris ${id}`),
    ...(entry.references.kyverno ?? []).map((id) => `Kyverno ${id}`),
  ];
  return [
    `## ${entry.id}`,
    '',
    `**${entry.title}** · severity ${entry.severity} · ${entry.pss ? `PSS ${entry.pss.level}, PSA check \`${entry.pss.check}\`` : 'not part of PSS'}`,
    '',
    entry.rationale,
    '',
    `- NSA/CISA: ${entry.nsaSection}`,
    `- Kubernetes: ${entry.kubernetesVersions.until ? `${entry.kubernetesVersions.since} to ${entry.kubernetesVersions.until} (removed after)` : `${entry.kubernetesVersions.since} and later`}${entry.kubernetesVersions.changes.map((change) => `; from ${change.version}: ${change.change}`).join('')}`,
    ...(entry.replaces.length > 0 ? [`- Replaces ${entry.replaces.map((r) => `${r.id} from ${r.since}`).join(', ')} in the PSS frameworks`] : []),
    ...(references.length > 0 ? [`- Peers: ${references.join(', ')}`] : []),
    ...(entry.fix ? [`- \`kubeharden fix\`: ${entry.fix.automatic ? `automatic, ${entry.fix.risk}: ${entry.fix.does}` : `manual: ${entry.fix.does}`}`] : []),
    '',
    `**Fix:** ${entry.remediation.text}`,
    '',
    '```yaml',
    entry.remediation.snippet.trimEnd(),
    '```',
    '',
  ];
}
