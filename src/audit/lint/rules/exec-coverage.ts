import type { ControlMeta } from '../../../engine/types.js';
import type { SampleRequest } from '../../policy/sample.js';
import { coverageRule } from './coverage.js';

export const meta: ControlMeta = {
  id: 'AUDIT-POLICY-EXEC',
  title: 'exec, attach and port-forward into pods must be logged',
  rationale:
    'Running commands in a container, attaching to it or tunnelling into it are how intruders move once they hold ' +
    'credentials (MITRE T1609). The command appears in the request URI, so Metadata is enough to see it. kubectl ' +
    'sends these as create (SPDY) or, since 1.30, as get (WebSockets): a policy must log both verbs.',
  nsaSection: 'Audit logging and threat detection › Kubernetes audit logging (audit policy)',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [{ minor: 30, change: 'kubectl exec, attach and port-forward use WebSockets (verb get) by default' }] },
  remediation: {
    text: 'Log pods/exec, pods/attach and pods/portforward at Metadata (or Request) for every verb, above any rule that drops them.',
    snippet: '- level: Metadata\n  resources:\n  - group: ""\n    resources: ["pods/exec", "pods/attach", "pods/portforward"]\n',
  },
  references: {},
  frameworks: ['nsa'],
};

const SAMPLES: SampleRequest[] = ['exec', 'attach', 'portforward'].flatMap((subresource) =>
  ['create', 'get'].map((verb): SampleRequest => ({ verb, resource: 'pods', subresource })),
);

export const rule = coverageRule(meta, SAMPLES, 'nobody will see who ran commands in containers');
