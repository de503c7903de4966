/** The RBAC controls `export vap` judges on one object: each table, scanned object by object (the oracle's cases). */
import { control as anonymousBindings } from '../../../src/controls/rbac/anonymous-bindings.js';
import { control as clusterAdmin } from '../../../src/controls/rbac/cluster-admin.js';
import { control as defaultServiceAccountBindings } from '../../../src/controls/rbac/default-service-account-bindings.js';
import { control as wildcardRules } from '../../../src/controls/rbac/wildcard-rules.js';
import { testInventoryObjectControl } from '../../support/control-tester.js';
import { cases as anonymousCases } from './anonymous-bindings.cases.js';
import { cases as clusterAdminCases } from './cluster-admin.cases.js';
import { cases as defaultAccountCases } from './default-service-account-bindings.cases.js';
import { cases as wildcardCases } from './wildcard-rules.cases.js';

testInventoryObjectControl(wildcardRules, wildcardCases);
testInventoryObjectControl(anonymousBindings, anonymousCases);
testInventoryObjectControl(defaultServiceAccountBindings, defaultAccountCases);
testInventoryObjectControl(clusterAdmin, clusterAdminCases);
