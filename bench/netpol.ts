/**
 * Reachability at scale: 5,000 workloads in 50 namespaces under 2,000 NetworkPolicies (per namespace a default
 * deny, DNS egress, and per-app ingress/egress rules with pod, namespace and ipBlock peers, named ports and port
 * ranges), timed from model to the full pair matrix.
 */
import { performance } from 'node:perf_hooks';
import { Reachability } from '../src/netpol/engine.js';
import { NetworkModelBuilder } from '../src/netpol/model.js';

const WORKLOADS = 5_000;
const POLICIES = 2_000;
const NAMESPACES = 50;

function syntheticModel() {
  const builder = new NetworkModelBuilder();
  const perNamespace = WORKLOADS / NAMESPACES;
  for (let n = 0; n < NAMESPACES; n++) {
    builder.add({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns-${n}`, labels: { team: `team-${n % 10}`, tier: n % 2 === 0 ? 'front' : 'back' } } }, 'bench');
  }
  for (let w = 0; w < WORKLOADS; w++) {
    const namespace = `ns-${Math.floor(w / perNamespace)}`;
    const labels = { app: `app-${w}`, role: `role-${w % 7}`, version: `v${w % 3}` };
    builder.add(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: `app-${w}`, namespace },
        spec: { template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9090 }] }] } } },
      },
      'bench',
    );
  }
  let made = 0;
  const policy = (namespace: string, spec: object) => {
    builder.add({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `p-${made++}`, namespace }, spec }, 'bench');
  };
  for (let n = 0; n < NAMESPACES && made < POLICIES; n++) {
    policy(`ns-${n}`, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    policy(`ns-${n}`, { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }], ports: [{ port: 53, protocol: 'UDP' }] }] });
  }
  for (let i = 0; made < POLICIES; i++) {
    const w = (i * 7919) % WORKLOADS;
    const namespace = `ns-${Math.floor(w / perNamespace)}`;
    const caller = (w + 13) % WORKLOADS;
    policy(namespace, {
      podSelector: { matchLabels: { app: `app-${w}` } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        { from: [{ podSelector: { matchLabels: { app: `app-${caller}` } }, namespaceSelector: {} }], ports: [{ port: 'http' }] },
        { from: [{ namespaceSelector: { matchLabels: { team: `team-${i % 10}` } }, podSelector: { matchExpressions: [{ key: 'role', operator: 'In', values: [`role-${i % 7}`] }] } }], ports: [{ port: 9000, endPort: 9100 }] },
      ],
      egress: [
        { to: [{ podSelector: { matchLabels: { role: `role-${i % 7}` } } }] },
        { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32', '10.0.0.0/8'] } }], ports: [{ port: 443 }] },
      ],
    });
  }
  return builder.build();
}

export async function benchNetpol(): Promise<{ workloads: number; policies: number; seconds: number; pairs: number; peakRssMb: number }> {
  const model = syntheticModel();
  let peak = process.memoryUsage().rss;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const start = performance.now();
  const reachability = new Reachability(model);
  const pairs = reachability.countOpenPairs();
  const seconds = (performance.now() - start) / 1000;
  clearInterval(sample);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { workloads: model.endpoints.length, policies: model.policies.length, seconds, pairs, peakRssMb: Math.round(peak / 1048576) };
}

if (process.argv[1]?.endsWith('netpol.js')) {
  benchNetpol().then((result) => console.log(JSON.stringify(result)));
}
