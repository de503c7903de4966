import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { durationSeconds } from '../kubelet/setting.js';

/** CIS's own example (`--request-timeout=300s`) is the largest value it suggests; the default is 60s. */
const MAX_SECONDS = 300;

export const meta: ControlMeta = {
  id: 'CP-APISERVER-REQUEST-TIMEOUT',
  title: 'The API server\'s request timeout should not be raised far above its default',
  rationale:
    '--request-timeout (default 1m0s) bounds how long a non-watch request may hold the API server\'s goroutines, ' +
    'memory and in-flight slots. Raised to many minutes, a few slow or deliberately stalled clients exhaust ' +
    '--max-requests-inflight and deny service to everyone. CIS leaves the value to judgement and shows 300s; ' +
    'kubeharden reports values above 300s and values the API server cannot parse.',
  nsaSection: 'Control plane hardening (availability of the API server; a CIS benchmark check)',
  pss: null,
  severity: 'low',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Remove --request-timeout (default 60s) or set it to at most 300s.', snippet: '    - --request-timeout=300s\n' },
  references: { kubescape: ['C-0134'], cis: ['1.2.20', '1.2.26 (cis-1.6)'], checkov: ['CKV_K8S_95'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-apiserver'],
  check: ({ component }) => {
    const value = component.flags.value('request-timeout');
    if (value === undefined) return [];
    const seconds = durationSeconds(value);
    if (seconds === undefined) {
      return [{ at: { flag: 'request-timeout' }, message: `--request-timeout=${value} is not a duration (such as 60s or 5m): kube-apiserver does not start with it` }];
    }
    if (seconds <= MAX_SECONDS) return [];
    return [{ at: { flag: 'request-timeout' }, message: `--request-timeout=${value} lets each request hold the API server for ${seconds}s (default 60s, at most ${MAX_SECONDS}s here): slow clients can exhaust its in-flight request slots` }];
  },
};
