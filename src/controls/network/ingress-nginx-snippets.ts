import type { ControlMeta, ObjectControl, Violation } from '../../engine/types.js';
import { INGRESS_KINDS, ingressNginxAnnotations, isSnippetAnnotation } from '../../kube/ingress-nginx.js';
import { record } from '../../util/object.js';

export const meta: ControlMeta = {
  id: 'NET-INGRESS-NGINX-SNIPPETS',
  title: 'Ingresses must not use ingress-nginx snippet annotations',
  rationale:
    'ingress-nginx pastes `nginx.ingress.kubernetes.io/*-snippet` annotations (server-snippet, ' +
    'configuration-snippet, auth-snippet, stream-snippet, modsecurity-snippet...) into its nginx configuration as ' +
    'they are: whoever may write an Ingress can run Lua, `alias` the controller\'s service account token or any ' +
    'file into a location, and so read every Secret the controller can read, which by default is all of them ' +
    '(CVE-2021-25742). The controller got `allow-snippet-annotations` in v0.49.1 and v1.0.1 (default true); from ' +
    'v1.9.0 it defaults to false, and from v1.12.0 snippets are also refused unless `annotations-risk-level` is ' +
    'Critical. An Ingress that carries a snippet either does not work or runs on a controller where someone turned ' +
    'them back on; a ConfigMap with `allow-snippet-annotations: "true"` is reported too. Kubernetes versions play ' +
    'no part: the controller\'s version decides.',
  nsaSection: 'Network separation and hardening (ingress controllers); Authentication and authorization (who can write Ingresses)',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text:
      'Replace the snippet with the dedicated annotation or a ConfigMap setting of the controller; keep ' +
      'allow-snippet-annotations "false" (ingress-nginx v1.9.0+ default) and annotations-risk-level at High or lower.',
    snippet: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ingress-nginx-controller\ndata:\n  allow-snippet-annotations: "false"\n  annotations-risk-level: High\n',
  },
  references: { kubescape: ['C-0059'], checkov: ['CKV_K8S_152', 'CKV_K8S_153', 'CKV_K8S_154'], kyverno: ['disallow-ingress-nginx-custom-snippets'] },
  frameworks: ['nsa'],
};

/** What a snippet does that makes it worse than raw configuration; the value itself is never shown. */
const AGGRAVATIONS: readonly [RegExp, string][] = [
  [/_by_lua|\blua_|_lua\b/, 'runs Lua'],
  [/(^|[\s;{])alias\s/m, 'serves files with alias'],
  [/\/var\/run\/secrets|\/serviceaccount\b/, 'reads the service account token'],
];

function snippetMessage(key: string, value: string): string {
  const worse = AGGRAVATIONS.filter(([pattern]) => pattern.test(value)).map(([, what]) => what);
  return `Ingress sets ${key}: raw nginx configuration from whoever may write Ingresses (CVE-2021-25742)` +
    (worse.length > 0 ? `; the snippet ${worse.join(' and ')}` : '');
}

export const control: ObjectControl = {
  meta,
  scope: 'object',
  kinds: [...INGRESS_KINDS, 'ConfigMap'],
  check: ({ object }) => {
    if (object.kind === 'ConfigMap') {
      // The key is ingress-nginx's own; no other ConfigMap uses it.
      return record(object.data)?.['allow-snippet-annotations'] === 'true'
        ? [{ path: ['data', 'allow-snippet-annotations'], message: 'ingress-nginx configuration turns snippet annotations on: every Ingress author can inject nginx configuration' }]
        : [];
    }
    const violations: Violation[] = [];
    for (const [key, value] of ingressNginxAnnotations(object)) {
      if (isSnippetAnnotation(key)) violations.push({ path: ['metadata', 'annotations', key], message: snippetMessage(key, value) });
    }
    return violations;
  },
};
