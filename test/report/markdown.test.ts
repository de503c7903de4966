import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderMarkdown } from '../../src/report/markdown.js';
import { needsShared, sharedPath } from '../support/paths.js';
import { reportForPaths, reportForText } from '../support/report-fixture.js';

/** GitHub's limit for an issue or pull-request comment. */
const GITHUB_COMMENT_LIMIT = 65_536;

describe('Markdown pull-request summary', () => {
  it('verdict, scores, counts and the worst findings first; the rest collapsed', async () => {
    const report = await reportForPaths(['examples/insecure'], {
      exceptions: [{ controls: ['RES-CPU-LIMIT'], reason: 'batch jobs burst', source: '.kubeharden.yaml:3' }, { controls: ['RES-MEMORY-LIMIT'], names: ['gone'], reason: 'x', source: '.kubeharden.yaml:9' }],
    });
    const markdown = renderMarkdown(report);
    assert.match(markdown, new RegExp(`^## ❌ kubeharden FAIL: ${report.summary.failing} findings at or above high \\(--fail-on high\\)\\n`));
    assert.match(markdown, new RegExp(`\\| ${report.summary.score.overall}% \\| ${report.summary.score.weighted}% \\| 0 \\| ${report.summary.bySeverity.high} \\|`));
    const top = markdown.slice(markdown.indexOf('### Top findings'), markdown.indexOf('<details>'));
    const rows = top.split('\n').filter((line) => line.startsWith('| 🟧') || line.startsWith('| 🟥') || line.startsWith('| 🟨') || line.startsWith('| 🟦') || line.startsWith('| ⬜'));
    assert.equal(rows.length, 10);
    assert.ok(rows.slice(0, report.summary.bySeverity.high).every((row) => row.startsWith('| 🟧 high')), 'worst first');
    assert.match(markdown, /<summary>All \d+ open findings<\/summary>/);
    assert.match(markdown, /<summary>\d+ suppressed findings \(accepted risks\)<\/summary>/);
    assert.match(markdown, /<summary>Exceptions: 2 \(1 unused or expired\)<\/summary>/);
    assert.match(markdown, /\| unused \| RES-MEMORY-LIMIT \| name gone \|/);
    assert.match(markdown, /<summary>Scores by NSA\/CISA section<\/summary>/);
  });

  it('a clean scan says so', async () => {
    const markdown = renderMarkdown(await reportForPaths(['examples/hardened']));
    assert.match(markdown, /^## ✅ kubeharden PASS: nothing at or above high\n/);
    assert.match(markdown, /No findings\./);
  });

  it('text from manifests cannot break the table or inject HTML', async () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "a|b<img src=x onerror=alert(1)>"\n  namespace: ns\nspec:\n  containers:\n  - name: c\n    image: x\n    securityContext: {privileged: true}\n';
    const markdown = renderMarkdown(await reportForText(text));
    assert.doesNotMatch(markdown, /<img/);
    assert.match(markdown, /Pod ns\/a\\\|b&lt;img src=x onerror=alert\(1\)&gt;/);
  });

  it('names cannot mention people, link issues or add emphasis in a pull-request comment', async () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "fix-#123-for-@octocat_[x](https://evil.example)*"\n  namespace: ns\nspec:\n  containers:\n  - name: c\n    image: x\n    securityContext: {privileged: true}\n';
    const markdown = renderMarkdown(await reportForText(text));
    assert.match(markdown, /Pod ns\/fix-#\u2060123-for-@\u2060octocat\\_\\\[x\\\]\(https:\/\/evil\.example\)\\\*/);
    assert.doesNotMatch(markdown, /@octocat|#123/);
  });

  it('with a baseline, new findings come first, whatever their severity', async () => {
    const report = await reportForPaths(['examples/insecure']);
    const low = report.findings.find((finding) => finding.severity === 'low' && !finding.suppression);
    assert.ok(low);
    const marked = { ...report, findings: report.findings.map((finding) => ({ ...finding, baseline: finding === low ? ('new' as const) : ('unchanged' as const) })) };
    const rows = renderMarkdown(marked).split('\n').filter((line) => line.startsWith('| 🟦') || line.startsWith('| 🟧') || line.startsWith('| 🟨') || line.startsWith('| 🟥') || line.startsWith('| ⬜'));
    assert.match(rows[0] ?? '', /\*\*\(new\)\*\*/);
    assert.match(rows[0] ?? '', new RegExp(low.controlId));
  });

  it('stays under GitHub comment size for the whole real-world corpus', { skip: needsShared }, async () => {
    const report = await reportForPaths([sharedPath('corpus', 'real-world')]);
    const markdown = renderMarkdown(report);
    assert.ok(report.findings.length > 1000);
    assert.ok(markdown.length < GITHUB_COMMENT_LIMIT, `${markdown.length} characters`);
    assert.match(markdown, /_…and \d+ more; see the full report\._/);
  });
});
