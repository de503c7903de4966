import type { ControlMeta, PodControl, Violation } from '../../engine/types.js';
import { containerImages } from '../../kube/image-reference.js';
import { str } from '../../util/object.js';

export const meta: ControlMeta = {
  id: 'IMG-PULL-POLICY',
  title: 'Images without a digest must be pulled every time',
  rationale:
    'With IfNotPresent or Never a node runs whatever image it cached under that tag, which may be stale or ' +
    'different from what the registry now holds; a digest or pullPolicy Always removes the ambiguity.',
  nsaSection: 'Building secure container images; Upgrading and application security practices',
  pss: null,
  severity: 'low',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Pin the image by digest, or set imagePullPolicy: Always.',
    snippet: 'image: registry.example/shop/web:1.4.2\nimagePullPolicy: Always\n',
  },
  references: {},
  frameworks: ['nsa'],
};

export const control: PodControl = {
  meta,
  scope: 'pod',
  admission: {
    notAdmissible:
      'not expressible at admission: the API server sets imagePullPolicy before admission from its own parse of the reference, and for a reference it cannot parse (ko://…, <YOUR-IMAGE>) it picks IfNotPresent where the scanner assumes Always',
  },
  check({ spec, specPath }) {
    const violations: Violation[] = [];
    for (const { ref, image, parsed } of containerImages(spec, specPath)) {
      if (parsed.digest) continue;
      // The API server defaults the policy to Always for latest or untagged images, IfNotPresent otherwise.
      const defaulted = parsed.tag === undefined || parsed.tag === 'latest' ? 'Always' : 'IfNotPresent';
      const policy = str(ref.container.imagePullPolicy) ?? defaulted;
      if (policy !== 'Always') {
        violations.push({
          path: [...ref.path, ref.container.imagePullPolicy === undefined ? 'image' : 'imagePullPolicy'],
          message: `container "${ref.name}" may run a stale cached ${image} (imagePullPolicy ${policy}${ref.container.imagePullPolicy === undefined ? ', the default' : ''})`,
        });
      }
    }
    return violations;
  },
};
