import { celHas, celString, objectFieldsRule } from '../../engine/admission-cel.js';
import type { ControlMeta, ObjectControl } from '../../engine/types.js';
import { isRecord } from '../../util/object.js';

export const meta: ControlMeta = {
  id: 'SEC-NO-LEGACY-SA-TOKEN',
  title: 'Service accounts should not have long-lived token Secrets',
  rationale:
    'A Secret of type kubernetes.io/service-account-token holds a token that never expires and is not bound to a ' +
    'pod: whoever reads it once keeps the service account\'s rights. Since 1.22 pods get short-lived projected tokens ' +
    'instead, and since 1.24 these Secrets are no longer created automatically.',
  nsaSection: 'Kubernetes Pod security › Protecting Pod service account tokens',
  pss: null,
  severity: 'medium',
  versions: {
    sinceMinor: 0,
    changes: [
      { minor: 24, change: 'token Secrets are no longer created for every service account' },
      { minor: 30, change: 'unused legacy token Secrets are invalidated and removed (LegacyServiceAccountTokenCleanUp)' },
    ],
  },
  remediation: {
    text: 'Delete the token Secret and let workloads use projected tokens; for a client outside the cluster, issue a short-lived token with `kubectl create token`.',
    snippet: 'kubectl -n NAMESPACE delete secret NAME\nkubectl -n NAMESPACE create token SERVICE_ACCOUNT --duration 1h\n',
  },
  references: {},
  frameworks: ['nsa'],
};

const TOKEN_TYPE = 'kubernetes.io/service-account-token';
const ACCOUNT_ANNOTATION = 'kubernetes.io/service-account.name';
const TOKEN_TYPED = `(${celHas('object', 'type')} && object.type == ${celString(TOKEN_TYPE)})`;
const NAMES_ACCOUNT = `(${celHas('object', 'metadata.annotations')} && ${celString(ACCOUNT_ANNOTATION)} in object.metadata.annotations)`;

export const control: ObjectControl = {
  meta,
  scope: 'object',
  kinds: ['Secret'],
  admission: {
    validations: () => [
      objectFieldsRule(meta, {
        fields: `(${TOKEN_TYPED} ? ['type'] : ${NAMES_ACCOUNT} ? [${celString(`metadata.annotations[${ACCOUNT_ANNOTATION}]`)}] : [])`,
        must: 'must not make a long-lived service account token',
      }),
    ],
  },
  // A live cluster's Secrets are read as metadata only: the service-account annotation tells the type there.
  check: ({ object }) => {
    const metadata = isRecord(object['metadata']) ? object['metadata'] : {};
    const annotations = isRecord(metadata['annotations']) ? metadata['annotations'] : {};
    const account = annotations[ACCOUNT_ANNOTATION];
    if (object['type'] !== TOKEN_TYPE && typeof account !== 'string') return [];
    const path = object['type'] === TOKEN_TYPE ? ['type'] : ['metadata', 'annotations', ACCOUNT_ANNOTATION];
    return [{ path, message: `long-lived token Secret for service account ${typeof account === 'string' ? `"${account}"` : '(unnamed)'}: the token never expires` }];
  },
};
