/**
 * The policy `kubeharden audit recommend` writes: it keeps who did what to which resource, exec and port-forward,
 * RBAC changes in full, workload and pod bodies for the detections, and Secret access as Metadata only, and drops
 * the high-volume, low-value traffic (probes, events, leases, node heartbeats, status updates) that makes up most
 * of the NSA/CISA sample policy's volume. docs/audit.md has the measured comparison.
 */
export const RECOMMENDED_POLICY_YAML = `# Audit policy recommended by kubeharden (kubeharden audit recommend).
# Rules are evaluated in order; the first match decides the level.
apiVersion: audit.k8s.io/v1
kind: Policy
# Every request would otherwise be written twice: once when it arrives, once when it completes.
omitStages:
  - RequestReceived
# managedFields bookkeeping is bulk without evidence.
omitManagedFields: true
rules:
  # Health, readiness, version and discovery probes: very frequent, no security value.
  - level: None
    nonResourceURLs:
      - /healthz*
      - /livez*
      - /readyz*
      - /version
      - /openapi*
  # Leader election and node heartbeats: a write every few seconds per node and controller.
  - level: None
    verbs: ["get", "update"]
    resources:
      - group: coordination.k8s.io
        resources: ["leases"]
  # kube-proxy and kubelets watching what they serve, and kubelets reading their own Node.
  - level: None
    users: ["system:kube-proxy"]
    verbs: ["watch"]
    resources:
      - group: ""
        resources: ["endpoints", "services", "services/status"]
      - group: discovery.k8s.io
        resources: ["endpointslices"]
  - level: None
    userGroups: ["system:nodes"]
    verbs: ["get"]
    resources:
      - group: ""
        resources: ["nodes", "nodes/status"]
  # Events are high volume and hold no secrets; their deletion (hiding tracks) is still logged below.
  - level: None
    verbs: ["create", "update", "patch", "get", "list", "watch"]
    resources:
      - group: ""
        resources: ["events"]
      - group: events.k8s.io
        resources: ["events"]
  # Status updates from kubelets and controllers: who wrote is enough, the body is churn.
  - level: Metadata
    verbs: ["update", "patch"]
    resources:
      - group: ""
        resources: ["nodes/status", "pods/status", "endpoints"]
      - group: apps
        resources: ["*/status"]
      - group: batch
        resources: ["*/status"]
      - group: discovery.k8s.io
        resources: ["endpointslices"]
  # Secrets, ConfigMaps and tokens: Metadata only, so their contents never reach the log.
  - level: Metadata
    resources:
      - group: ""
        resources: ["secrets", "configmaps", "serviceaccounts/token"]
      - group: authentication.k8s.io
        resources: ["tokenreviews"]
  # exec, attach and port-forward: always recorded (the command is in the request URI).
  - level: Request
    resources:
      - group: ""
        resources: ["pods/exec", "pods/attach", "pods/portforward"]
  # RBAC changes in full: what was granted, to whom.
  - level: RequestResponse
    verbs: ["create", "update", "patch", "delete", "deletecollection"]
    resources:
      - group: rbac.authorization.k8s.io
  # Writes to workloads, pods, services, webhooks, certificates and policies, with the body the client sent.
  - level: Request
    verbs: ["create", "update", "patch", "delete", "deletecollection"]
    resources:
      - group: ""
      - group: apps
      - group: batch
      - group: admissionregistration.k8s.io
      - group: certificates.k8s.io
      - group: networking.k8s.io
      - group: policy
  # Everything else, reads included: who did what to which resource, without bodies.
  - level: Metadata
`;
