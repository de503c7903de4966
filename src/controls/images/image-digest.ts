import type { ControlMeta, PodControl, Violation } from '../../engine/types.js';
import { containerImages } from '../../kube/image-reference.js';
import { containerRule, celImageHasDigest, CONTAINER_HAS_IMAGE } from '../../engine/admission-cel.js';

export const meta: ControlMeta = {
  id: 'IMG-DIGEST-PINNED',
  title: 'Images should be pinned by digest',
  rationale:
    'Tags can be moved to other content; only a digest guarantees that the image that was scanned and approved is ' +
    'the one that runs.',
  nsaSection: 'Building secure container images (scan, sign and admit known images)',
  pss: null,
  severity: 'info',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Add the image digest to the reference (tools such as crane, skopeo or your registry show it).',
    snippet: 'image: registry.example/shop/web:1.4.2@sha256:<digest>\n',
  },
  references: {},
  frameworks: ['nsa'],
};

export const control: PodControl = {
  meta,
  scope: 'pod',
  admission: {
    validations: () => [containerRule(meta, { violates: `${CONTAINER_HAS_IMAGE} && !${celImageHasDigest('c.image')}`, field: 'image', must: 'must be pinned by digest (@sha256:...)' })],
  },
  check({ spec, specPath }) {
    const violations: Violation[] = [];
    for (const { ref, image, parsed } of containerImages(spec, specPath)) {
      if (!parsed.digest) violations.push({ path: [...ref.path, 'image'], message: `container "${ref.name}" runs image ${image} without a digest` });
    }
    return violations;
  },
};
