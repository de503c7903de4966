/**
 * The names of the report formats and PolicyReport APIs, apart from their writers: the CLI's flag definitions
 * need the names, and loading every writer to print `--version` or `--help` would cost startup time.
 */
export const FORMAT_IDS = ['table', 'json', 'sarif', 'junit', 'html', 'markdown', 'policyreport', 'baseline'] as const;
export type FormatId = (typeof FORMAT_IDS)[number];

export const POLICY_REPORT_APIS = ['wgpolicyk8s.io/v1alpha2', 'openreports.io/v1alpha1'] as const;
export type PolicyReportApi = (typeof POLICY_REPORT_APIS)[number];
