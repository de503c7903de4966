import { parseNumber } from '../../components/kubelet.js';
import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { requireSetting, type SettingSpec } from './setting.js';

export const meta: ControlMeta = {
  id: 'NODE-KUBELET-READONLY-PORT',
  title: 'The kubelet read-only port must be closed',
  rationale:
    'The read-only port (10255) serves pod specs, node data and metrics with no authentication or authorization at all. ' +
    'A KubeletConfiguration file leaves readOnlyPort at 0 (closed); a kubelet on flags alone defaults --read-only-port to 10255.',
  nsaSection: 'Worker node segmentation (only the kubelet API, 10250, is needed)',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Set readOnlyPort: 0 in the KubeletConfiguration (or --read-only-port=0); scrape metrics from the authenticated port 10250.',
    snippet: 'readOnlyPort: 0\n',
  },
  references: { trivy: ['KCV-0082'], cis: ['4.2.4'] },
  frameworks: ['nsa'],
};

const port: SettingSpec = { flag: 'read-only-port', config: ['readOnlyPort'], parseFlag: parseNumber, configDefault: 0, flagsOnlyDefault: 10255 };

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kubelet'],
  check: ({ component }) => requireSetting(component, port, (setting) => setting.value === 0, 'the port serves pod and node data without authentication'),
};
