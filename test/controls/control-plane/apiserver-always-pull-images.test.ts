import { control } from '../../../src/controls/control-plane/apiserver-always-pull-images.js';
import { testComponentControl } from '../../support/component-tester.js';

// Cases after Trivy's KCV-0012 and Checkov's CKV_K8S_80 tests: the plugin in the list passes, a list without it or no list fails.
testComponentControl(control, {
  valid: [
    { name: 'the deprecated --admission-control list', flags: ['--admission-control=NamespaceLifecycle,NodeRestriction,AlwaysPullImages'] },
    { name: 'in the list', flags: ['--enable-admission-plugins=NodeRestriction,AlwaysPullImages'] },
    { name: 'alone', flags: ['--enable-admission-plugins=AlwaysPullImages'] },
    { name: 'in a second occurrence of the flag (lists add up)', flags: ['--enable-admission-plugins=NodeRestriction', '--enable-admission-plugins=AlwaysPullImages'] },
    { name: 'space-separated value', flags: ['--enable-admission-plugins', 'NodeRestriction,AlwaysPullImages'] },
  ],
  invalid: [
    { name: '--admission-control without it (it lists every plugin that runs)', flags: ['--admission-control=NodeRestriction', '--enable-admission-plugins=AlwaysPullImages'], messages: [/AlwaysPullImages is not in --admission-control/] },
    { name: 'no admission flag at all', flags: ['--anonymous-auth=false'], messages: [/AlwaysPullImages is not in --enable-admission-plugins: .*another tenant's private image/] },
    { name: 'a list without it', flags: ['--enable-admission-plugins=NodeRestriction,PodSecurity'], messages: [/AlwaysPullImages is not in/] },
    { name: 'a name that only contains it', flags: ['--enable-admission-plugins=NotAlwaysPullImagesReally'], messages: [/AlwaysPullImages is not in/] },
    { name: 'old releases too', version: '1.20', flags: [], messages: [/AlwaysPullImages is not in/] },
  ],
});
