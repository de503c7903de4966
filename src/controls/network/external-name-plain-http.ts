import type { ControlMeta, ObjectControl, Violation } from '../../engine/types.js';
import { array, isRecord, record, str } from '../../util/object.js';

export const meta: ControlMeta = {
  id: 'NET-EXTERNALNAME-PLAIN-HTTP',
  title: 'ExternalName Services should not send plain HTTP to hosts outside the cluster',
  rationale:
    'An ExternalName Service gives a host outside the cluster an in-cluster name; pods that call it on an HTTP port ' +
    'send requests, credentials and cookies over the network unencrypted, and nothing on the way checks who ' +
    'answers. The rule: a Service of type ExternalName whose externalName is not an in-cluster name (`*.svc`, ' +
    '`*.svc.cluster.local`), with a port that says it speaks plain HTTP: appProtocol `http`, `http2`, ' +
    '`kubernetes.io/h2c` or `kubernetes.io/ws`; else a name `http`, `http2`, `http-*` or `http2-*` (the Istio ' +
    'convention); else port 80 or 8080. A port ' +
    'named or declared https, h2 or tls is not reported, and a Service without ports says nothing, so it is not ' +
    'judged either.',
  nsaSection: 'Network separation and hardening › Encryption (TLS for traffic in transit)',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Call the external host over TLS (port 443, appProtocol https), or have a mesh egress gateway originate TLS for it.',
    snippet: 'spec:\n  type: ExternalName\n  externalName: api.example.com\n  ports:\n  - name: https\n    port: 443\n    appProtocol: https\n',
  },
  references: {},
  frameworks: ['nsa'],
};

const PLAIN_APP_PROTOCOLS = new Set(['http', 'http2', 'kubernetes.io/h2c', 'kubernetes.io/ws']);
const IN_CLUSTER = /\.svc(\.cluster\.local)?\.?$/i;

/** Why the port looks like plain HTTP, or undefined when it does not. */
function plainHttp(port: Record<string, unknown>): string | undefined {
  const appProtocol = str(port.appProtocol)?.toLowerCase();
  if (appProtocol !== undefined) return PLAIN_APP_PROTOCOLS.has(appProtocol) ? `appProtocol ${appProtocol}` : undefined;
  const name = str(port.name)?.toLowerCase();
  if (name !== undefined && name !== '') return /^http2?(-|$)/.test(name) ? `port name ${name}` : undefined;
  return port.port === 80 || port.port === 8080 ? `port ${port.port}` : undefined;
}

export const control: ObjectControl = {
  meta,
  scope: 'object',
  kinds: ['Service'],
  check: ({ object }) => {
    const spec = record(object.spec);
    const host = str(spec?.externalName);
    if (spec?.type !== 'ExternalName' || host === undefined || IN_CLUSTER.test(host)) return [];
    const violations: Violation[] = [];
    array(spec.ports).forEach((port, index) => {
      if (!isRecord(port)) return;
      const why = plainHttp(port);
      if (why) violations.push({ path: ['spec', 'ports', index], message: `ExternalName Service sends plain HTTP (${why}) to ${host}, outside the cluster` });
    });
    return violations;
  },
};
