/** The valid and invalid cases of restricted-volumes.test.ts, as data: test/cluster/vap-oracle.test.ts creates them on the API server too. */
import type { ControlCases } from '../../support/control-tester.js';

export const cases: ControlCases = {
  valid: [
    {
      name: 'core volume types',
      spec: {
        volumes: [
          { name: 'a', emptyDir: {} }, { name: 'b', secret: { secretName: 's' } }, { name: 'c', configMap: { name: 'c' } },
          { name: 'd', persistentVolumeClaim: { claimName: 'd' } }, { name: 'e', projected: { sources: [] } },
          { name: 'f', downwardAPI: { items: [] } }, { name: 'g', csi: { driver: 'x' } }, { name: 'h', ephemeral: {} },
          { name: 'i', image: { reference: 'registry.example/data:1' } },
        ],
      },
    },
    { name: 'a volume with no source is defaulted to emptyDir', spec: { volumes: [{ name: 'plain' }] } },
  ],
  invalid: [
    { name: 'nfs and hostPath', spec: { volumes: [{ name: 'n', nfs: { server: 's', path: '/' } }, { name: 'h', hostPath: { path: '/' } }] }, fields: ['spec.volumes[0].nfs', 'spec.volumes[1].hostPath'] },
    { name: 'gitRepo', spec: { volumes: [{ name: 'g', gitRepo: { repository: 'r' } }] }, fields: ['spec.volumes[0].gitRepo'] },
  ],
};
