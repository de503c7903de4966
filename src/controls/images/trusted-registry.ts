import type { ControlMeta, PodControl, Violation } from '../../engine/types.js';
import { containerImages, type ImageReference } from '../../kube/image-reference.js';

/** `ghcr.io/org` allows `ghcr.io/org/app`; `registry.example.com` allows every repository on it. */
export function registryAllowed(parsed: ImageReference, allowed: readonly string[]): boolean {
  // Docker Hub's official images live under library/ (nginx is docker.io/library/nginx).
  const repository = parsed.registry === 'docker.io' && !parsed.repository.includes('/') ? `library/${parsed.repository}` : parsed.repository;
  const full = `${parsed.registry}/${repository}`;
  return allowed.some((entry) => {
    const prefix = entry.replace(/\/+$/, '');
    return full === prefix || full.startsWith(`${prefix}/`);
  });
}

export const meta: ControlMeta = {
  id: 'IMG-TRUSTED-REGISTRY',
  title: 'Images must come from trusted registries',
  rationale:
    'Images from arbitrary registries bypass the scanning, signing and provenance checks of the registries the ' +
    'organisation controls; a typo-squatted public image runs with the workload\'s rights.',
  nsaSection: 'Building secure container images (trusted repositories)',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Mirror the image into an allowed registry and reference it there.',
    snippet: 'image: registry.example.com/mirror/nginx:1.27.3\n',
  },
  references: { kubescape: ['C-0001'], trivy: ['KSV-0125'], cis: ['5.5.1'] },
  frameworks: ['nsa'],
};

export const control: PodControl = {
  meta,
  scope: 'pod',
  requires: (settings) => (settings.allowedRegistries.length === 0 ? 'no registry allow-list given (--allowed-registry)' : undefined),
  check({ spec, specPath, settings }) {
    const violations: Violation[] = [];
    for (const { ref, image, parsed } of containerImages(spec, specPath)) {
      if (registryAllowed(parsed, settings.allowedRegistries)) continue;
      violations.push({
        path: [...ref.path, 'image'],
        message: `container "${ref.name}" runs ${image} from ${parsed.registry}, which is not an allowed registry`,
      });
    }
    return violations;
  },
};
