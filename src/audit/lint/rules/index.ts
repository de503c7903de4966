/** The audit-policy lint rules, in display order. Add one by writing a file here and listing it. */
import type { PolicyLintRule } from '../rule.js';
import { rule as logsNothing } from './logs-nothing.js';
import { rule as sensitiveBodies } from './sensitive-bodies.js';
import { rule as exec } from './exec-coverage.js';
import { rule as rbac } from './rbac-coverage.js';
import { rule as pods } from './pod-coverage.js';
import { rule as authnFailures } from './authn-failure-coverage.js';
import { rule as blindDetection } from './blind-detection.js';
import { rule as unreachable } from './unreachable-rule.js';
import { rule as requestReceived } from './request-received.js';
import { rule as readResponses } from './read-responses.js';

export const POLICY_LINT_RULES: readonly PolicyLintRule[] = [
  logsNothing,
  sensitiveBodies,
  exec,
  rbac,
  pods,
  authnFailures,
  blindDetection,
  unreachable,
  requestReceived,
  readResponses,
];
