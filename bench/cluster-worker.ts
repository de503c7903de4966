/**
 * One cluster scan in its own process (so peak RSS is the scan's alone): connect with a kubeconfig, list and judge
 * everything, render the JSON report. Prints wall time, API requests and peak RSS.
 */
import { ApiClient } from '../src/cluster/api-client.js';
import { scanCluster, serverVersion } from '../src/cluster/cluster-scan.js';
import { TemplatePaths } from '../src/kube/pod-templates.js';
import { parseKubeVersion } from '../src/kube/version.js';
import { renderJsonChunks } from '../src/report/json.js';
import { buildReport } from '../src/report/report.js';

const [kubeconfig] = process.argv.slice(2) as [string];
const started = process.hrtime.bigint();
const client = await ApiClient.connect({ kubeconfig, timeoutMs: 30_000, concurrency: 8 });
const version = parseKubeVersion(await serverVersion(client));
const scan = await scanCluster(
  client,
  { framework: 'nsa', version, templatePaths: new TemplatePaths() },
  { excludeNamespaces: [], probeAnonymous: false, kubeletConfigz: false },
);
const report = buildReport(scan.result, { framework: 'nsa', version, failOn: 'high', notAssessed: scan.notAssessed });
let reportBytes = 0;
for (const chunk of renderJsonChunks(report)) reportBytes += chunk.length;
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
process.stdout.write(
  JSON.stringify({
    seconds,
    requests: client.requests,
    listRequests: scan.result.stats.inputs,
    objects: scan.result.stats.resources,
    judgedThroughOwner: scan.judgedThroughOwner,
    findings: scan.result.findings.length,
    notAssessed: scan.notAssessed.length,
    reportBytes,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
