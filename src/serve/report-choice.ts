/**
 * `kubeharden serve --reports`: which policy report APIs the agent writes. A module of its own so the CLI's
 * start-up reads the choices without loading the agent.
 */
import type { PolicyReportApi } from '../report/format-ids.js';

export const REPORT_CHOICES = ['policyreport', 'openreports', 'both', 'none'] as const;
export type ReportChoice = (typeof REPORT_CHOICES)[number];
export const DEFAULT_REPORT_CHOICE: ReportChoice = 'policyreport';

/** The APIs a choice writes: Kyverno's `wgpolicyk8s.io/v1alpha2`, OpenReports' `openreports.io/v1alpha1`, both or none. */
export function reportApis(choice: ReportChoice): PolicyReportApi[] {
  switch (choice) {
    case 'policyreport':
      return ['wgpolicyk8s.io/v1alpha2'];
    case 'openreports':
      return ['openreports.io/v1alpha1'];
    case 'both':
      return ['wgpolicyk8s.io/v1alpha2', 'openreports.io/v1alpha1'];
    case 'none':
      return [];
  }
}

/**
 * `kubeharden serve --report-scope`: one report object per resource with findings (Kyverno's layout since 1.11,
 * small writes) or one per namespace plus one cluster report (`scan --format policyreport`'s layout, large writes).
 */
export const REPORT_SCOPES = ['resource', 'namespace'] as const;
export type ReportScope = (typeof REPORT_SCOPES)[number];
export const DEFAULT_REPORT_SCOPE: ReportScope = 'resource';
