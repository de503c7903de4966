import type { ControlMeta, PodControl, Violation } from '../../engine/types.js';
import { containerImages } from '../../kube/image-reference.js';
import { containerRule, celImageHasDigest, celImageWithoutDigest, CONTAINER_HAS_IMAGE } from '../../engine/admission-cel.js';

export const meta: ControlMeta = {
  id: 'IMG-NO-LATEST-TAG',
  title: 'Images must name a version, not latest',
  rationale:
    'An image without a tag, or tagged latest, runs whatever was pushed last: nodes can run different code, and a ' +
    'compromised registry push reaches the cluster on the next pull.',
  nsaSection: 'Upgrading and application security practices; Building secure container images',
  pss: null,
  severity: 'low',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Reference a specific version tag, ideally with its digest (image: repo/app:1.4.2@sha256:...).',
    snippet: 'image: registry.example/shop/web:1.4.2@sha256:<digest>\n',
  },
  references: { trivy: ['KSV-0013'] },
  frameworks: ['nsa'],
};

export const control: PodControl = {
  meta,
  scope: 'pod',
  admission: {
    validations: () => {
      const rest = celImageWithoutDigest('c.image');
      return [
        containerRule(meta, {
          violates: `${CONTAINER_HAS_IMAGE} && !${celImageHasDigest('c.image')} && (!${rest}.matches(':[^/]*$') || ${rest}.endsWith(':latest'))`,
          field: 'image',
          must: 'must name a version tag other than latest, or a digest',
        }),
      ];
    },
  },
  check({ spec, specPath }) {
    const violations: Violation[] = [];
    for (const { ref, image, parsed } of containerImages(spec, specPath)) {
      if (parsed.digest) continue;
      if (parsed.tag === undefined || parsed.tag === 'latest') {
        violations.push({
          path: [...ref.path, 'image'],
          message: `container "${ref.name}" runs image ${image}, which ${parsed.tag === undefined ? 'has no tag' : 'uses the latest tag'}`,
        });
      }
    }
    return violations;
  },
};
