import { control } from '../../../src/controls/pod-security/restricted-volumes.js';
import { testControl } from '../../support/control-tester.js';

testControl(control, {
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
});
