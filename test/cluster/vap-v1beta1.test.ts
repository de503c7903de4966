/**
 * `export vap --k8s-version 1.28|1.29` writes admissionregistration.k8s.io/v1beta1, where ValidatingAdmissionPolicy
 * was beta: off unless the ValidatingAdmissionPolicy feature gate and the v1beta1 API are turned on. A real
 * kube-apiserver v1.29 (test/go-tools/kube-apiserver-1.29, on the harness' etcd) is the oracle here: the 1.28 and
 * 1.29 exports are applied as written, and every exported control's own cases judged at 1.28–1.29, as a Pod, in
 * every workload kind and as the objects themselves, are created with server-side dry-run. The server must reject
 * exactly what the scanner reports at that version. `fieldValidation=Strict` makes the older server refuse a field
 * it does not know, rather than drop it unseen and judge a different object than the scanner did; for the same
 * reason the alpha gates of the fields the cases use are on.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseKubeVersion } from '../../src/kube/version.js';
import { goToolBinary } from '../support/go-tool.js';
import { useCluster } from '../support/use-cluster.js';
import {
  applyPolicies,
  caseTrials,
  controlTables,
  inParallel,
  oraclePolicies,
  perControl,
  prepareOracleCluster,
  runTrial,
  tally,
  typeCheckingWarnings,
  waitUntilActive,
  type Tables,
} from '../support/vap-oracle.js';

const apiserver = goToolBinary('kube-apiserver-1.29');
const V1BETA1 = 'admissionregistration.k8s.io/v1beta1';
const STRICT = '&fieldValidation=Strict';

describe('export vap v1beta1 proven by a real kube-apiserver v1.29', { skip: typeof apiserver === 'string' ? false : apiserver.missing, timeout: 900_000 }, () => {
  let tables: Tables;

  const shared = useCluster(
    {
      profile: 'insecure',
      apiserverBinary: apiserver as string,
      // ProcMountType and UserNamespacesSupport are alpha in 1.29: off, the server drops procMount and hostUsers
      // before admission, and the policy would judge another object than the scanner did.
      extraApiserverArgs: ['--feature-gates=ValidatingAdmissionPolicy=true,ProcMountType=true,UserNamespacesSupport=true', `--runtime-config=${V1BETA1}=true`],
    },
    async (cluster) => {
      await prepareOracleCluster(cluster);
      tables = await controlTables();
    },
  );

  it('is a 1.29 server that serves ValidatingAdmissionPolicy in v1beta1 only', async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    assert.equal(cluster.version.gitVersion, 'v1.29.15');
    assert.equal(parseKubeVersion(`1.${cluster.version.minor}`).minor, 29);
    const beta = await cluster.request('admin', 'GET', `/apis/${V1BETA1}`);
    assert.equal(beta.status, 200, beta.text);
    assert.ok((beta.json as { resources: { name: string }[] }).resources.some((r) => r.name === 'validatingadmissionpolicies'));
    const v1 = await cluster.request('admin', 'GET', '/apis/admissionregistration.k8s.io/v1');
    assert.ok(!(v1.json as { resources: { name: string }[] }).resources.some((r) => r.name === 'validatingadmissionpolicies'));
  });

  it('accepts every policy and binding of the 1.28 and 1.29 exports as written (v1beta1)', async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    const objects = [28, 29].flatMap((minor) => oraclePolicies(minor));
    assert.deepEqual([...new Set(objects.filter((o) => o.kind !== 'ConfigMap').map((o) => o.apiVersion))], [V1BETA1]);
    const applied = await applyPolicies(cluster, objects);
    await waitUntilActive(cluster, caseTrials(tables, 29, 28, 29).trials, STRICT);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    assert.deepEqual(await typeCheckingWarnings(cluster, V1BETA1), []);
    t.diagnostic(`${applied.length} v1beta1 policies accepted (1.28 and 1.29)`);
    assert.equal(applied.length, 78);
  });

  it("rejects exactly the control tests' cases the scanner reports at 1.28–1.29", async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    const { trials, otherVersions, unserved } = caseTrials(tables, 29, 28, 29);
    const started = Date.now();
    const outcomes = await inParallel(trials, (trial) => runTrial(cluster, trial, STRICT));
    const result = tally(outcomes);
    t.diagnostic(`${trials.length} requests in ${Date.now() - started} ms: ${result.rejected} rejected, ${result.admitted} admitted, ${result.refused} refused by the API server's own validation; ${otherVersions} cases are for other releases, ${unserved} for kinds no 1.28+ server serves`);
    for (const refusal of new Set(outcomes.filter((o) => o.verdict === 'refused').map((o) => `${o.control} ${o.what.replace(/^\w+ /, '')}: ${o.message.replace(/^[^:]*: /, '').slice(0, 160)}`))) t.diagnostic(`refused: ${refusal}`);
    t.diagnostic(`per control: ${JSON.stringify(perControl(outcomes))}`);
    assert.deepEqual(result.mismatches, []);
    assert.deepEqual({ requests: trials.length, rejected: result.rejected, admitted: result.admitted, refused: result.refused, otherVersions, unserved }, { requests: 1801, rejected: 727, admitted: 943, refused: 131, otherVersions: 19, unserved: 2 });
  });
});
