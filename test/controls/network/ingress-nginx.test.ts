/** ingress-nginx annotations: snippets (CVE-2021-25742) and configuration injection (CVE-2023-5044, IngressNightmare). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import { control as injection } from '../../../src/controls/network/ingress-nginx-injection.js';
import { control as snippets } from '../../../src/controls/network/ingress-nginx-snippets.js';
import { findingsFor, testObjectControl } from '../../support/control-tester.js';

const ingress = (annotations: Record<string, unknown>, apiVersion = 'networking.k8s.io/v1') => ({
  apiVersion,
  kind: 'Ingress',
  metadata: { name: 'web', namespace: 'shop', annotations },
  spec: { ingressClassName: 'nginx', rules: [{ host: 'shop.example.com' }] },
});
const configMap = (data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ingress-nginx-controller', namespace: 'ingress-nginx' }, data });
const N = 'nginx.ingress.kubernetes.io/';
/** How a finding names an annotation key with dots and a slash. */
const at = (name: string) => `metadata.annotations["${N}${name}"]`;
const credential = 'Basic dXNlcjpzM2NyM3QtdmFsdWU=';

// Checkov CKV_K8S_152/153/154 and Kyverno's disallow-ingress-nginx-custom-snippets cases, rewritten.
testObjectControl(snippets, {
  valid: [
    { name: 'ordinary annotations', object: ingress({ [`${N}rewrite-target`]: '/$2', [`${N}ssl-redirect`]: 'true' }) },
    { name: 'a snippet under another controller\'s prefix', object: ingress({ 'example.com/server-snippet': 'return 403;' }) },
    { name: 'an annotation that merely mentions snippets', object: ingress({ [`${N}snippet-notes`]: 'none' }) },
    { name: 'snippets disabled in the controller ConfigMap', object: configMap({ 'allow-snippet-annotations': 'false' }) },
    { name: 'a ConfigMap without the key', object: configMap({ 'use-forwarded-headers': 'true' }) },
  ],
  invalid: [
    { name: 'server-snippet', object: ingress({ [`${N}server-snippet`]: 'location /x { return 403; }' }), fields: [at('server-snippet')] },
    {
      name: 'configuration-snippet carrying a credential (never shown)',
      object: ingress({ [`${N}configuration-snippet`]: `proxy_set_header Authorization "${credential}";` }),
      fields: [at('configuration-snippet')],
      mustNotShow: [credential],
    },
    { name: 'auth-snippet running Lua', object: ingress({ [`${N}auth-snippet`]: 'content_by_lua_block { ngx.say("x") }' }), fields: [at('auth-snippet')] },
    {
      name: 'alias to the service account token, on extensions/v1beta1',
      object: ingress({ [`${N}server-snippet`]: 'location /t/ {\n  alias /var/run/secrets/kubernetes.io/serviceaccount/;\n}' }, 'extensions/v1beta1'),
      fields: [at('server-snippet')],
    },
    {
      name: 'every *-snippet, each reported',
      object: ingress({ [`${N}stream-snippet`]: 'x', [`${N}modsecurity-snippet`]: 'SecRuleEngine Off', [`${N}ssl-redirect`]: 'true' }),
      fields: [at('stream-snippet'), at('modsecurity-snippet')],
    },
    { name: 'the controller ConfigMap turns snippets on', object: configMap({ 'allow-snippet-annotations': 'true' }), fields: ['data.allow-snippet-annotations'] },
  ],
});

// Trivy's IngressNightmare proof of concept and Kyverno's restrict-annotations (CVE-2021-25746) cases, rewritten.
testObjectControl(injection, {
  valid: [
    { name: 'a plain auth-url', object: ingress({ [`${N}auth-url`]: 'https://auth.example.com/oauth2/auth' }) },
    { name: 'a fragment is allowed in a URL', object: ingress({ [`${N}auth-url`]: 'https://auth.example.com/verify#top' }) },
    { name: 'rewrite-target with a capture group', object: ingress({ [`${N}rewrite-target`]: '/$2' }) },
    { name: 'auth-tls-match-cn with alternatives', object: ingress({ [`${N}auth-tls-match-cn`]: 'CN=(client-a|client-b)' }) },
    { name: 'snippets are the other control\'s', object: ingress({ [`${N}configuration-snippet`]: 'more_set_headers "X: y";' }) },
    { name: 'non-string values are not read', object: ingress({ [`${N}proxy-body-size`]: 8 }) },
  ],
  invalid: [
    {
      name: 'auth-url breaking out of its directive (CVE-2025-24514)',
      object: ingress({ [`${N}auth-url`]: 'http://example.com/#;\ninjection_point' }),
      fields: [at('auth-url')],
      mustNotShow: ['injection_point'],
    },
    {
      name: 'mirror-target and mirror-host (CVE-2025-1098)',
      object: ingress({ [`${N}mirror-target`]: 'http://m/;}', [`${N}mirror-host`]: 'm\n}' }),
      fields: [at('mirror-target'), at('mirror-host')],
    },
    { name: 'permanent-redirect with a directive (CVE-2023-5044)', object: ingress({ [`${N}permanent-redirect`]: 'https://x.example;return 200' }), fields: [at('permanent-redirect')] },
    { name: 'auth-tls-match-cn closing a block (CVE-2025-1097)', object: ingress({ [`${N}auth-tls-match-cn`]: 'CN=a}' }), fields: [at('auth-tls-match-cn')] },
  ],
});

describe('NET-INGRESS-NGINX-SNIPPETS messages', () => {
  const message = (value: string) =>
    findingsFor(snippets, { name: 'message' }, yaml.dump(ingress({ [`${N}server-snippet`]: value }))).findings.map((f) => f.message);
  it('says what makes a snippet worse, never what it holds', () => {
    assert.deepEqual(message('return 403;'), [`Ingress sets ${N}server-snippet: raw nginx configuration from whoever may write Ingresses (CVE-2021-25742)`]);
    assert.match(message('access_by_lua_block { ngx.exit(200) }')[0] ?? '', /; the snippet runs Lua$/);
    assert.match(message('location /s/ {\n  alias /var/run/secrets/kubernetes.io/serviceaccount/;\n}')[0] ?? '', /; the snippet serves files with alias and reads the service account token$/);
    assert.doesNotMatch(message('proxy_set_header Host kubernetes.io;')[0] ?? '', /token/);
  });
});
