import type { ControlMeta, ObjectControl, Violation } from '../../engine/types.js';
import { INGRESS_KINDS, ingressNginxAnnotations, isSnippetAnnotation } from '../../kube/ingress-nginx.js';

export const meta: ControlMeta = {
  id: 'NET-INGRESS-NGINX-INJECTION',
  title: 'ingress-nginx annotations must not carry nginx syntax',
  rationale:
    'Annotations that are not snippets are still copied into nginx\'s configuration, and several were not escaped: ' +
    'permanent-redirect (CVE-2023-5044, fixed in v1.9.0), any annotation before the path and annotation checks of ' +
    'v1.9.0 (CVE-2023-5043), and auth-url, auth-tls-match-cn, mirror-target and mirror-host (CVE-2025-24514, ' +
    'CVE-2025-1097, CVE-2025-1098, "IngressNightmare": fixed in v1.11.5 and v1.12.1). A value with a line break, ' +
    '`;`, `{` or `}` ends the directive and starts new ones, which run with the controller\'s rights and read every ' +
    'Secret it can read. No legitimate value of these annotations needs those characters, so an Ingress carrying ' +
    'them is an attack or a mistake, whatever the controller\'s version (`enable-annotation-validation`, on by ' +
    'default from v1.12.0, refuses them). Snippet annotations are NET-INGRESS-NGINX-SNIPPETS\'s.',
  nsaSection: 'Network separation and hardening (ingress controllers); Upgrading and application security practices',
  pss: null,
  severity: 'critical',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text:
      'Remove the annotation and find who wrote it; run ingress-nginx v1.11.5, v1.12.1 or later with ' +
      '--enable-annotation-validation (the default from v1.12.0).',
    snippet: 'metadata:\n  annotations:\n    nginx.ingress.kubernetes.io/auth-url: https://auth.example.com/verify\n',
  },
  references: { trivy: ['KCV-0093'], kyverno: ['restrict-annotations'] },
  frameworks: ['nsa'],
};

/** Characters that end or open an nginx directive, named for the message (the value itself is never shown). */
const NGINX_SYNTAX: readonly [RegExp, string][] = [
  [/[\n\r]/, 'a line break'],
  [/;/, "';'"],
  [/[{}]/, 'a brace'],
];

export const control: ObjectControl = {
  meta,
  scope: 'object',
  kinds: [...INGRESS_KINDS],
  check: ({ object }) => {
    const violations: Violation[] = [];
    for (const [key, value] of ingressNginxAnnotations(object)) {
      if (isSnippetAnnotation(key)) continue;
      const found = NGINX_SYNTAX.filter(([pattern]) => pattern.test(value)).map(([, what]) => what);
      if (found.length > 0) {
        violations.push({
          path: ['metadata', 'annotations', key],
          message: `${key} contains ${found.join(', ')}: nginx configuration injection (CVE-2023-5044, CVE-2025-24514 and successors)`,
        });
      }
    }
    return violations;
  },
};
