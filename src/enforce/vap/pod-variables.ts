/**
 * Where each kind keeps its pod template, as a ValidatingAdmissionPolicy sees it: the resources to match, a
 * matchCondition that lets only kinds with a pod template through, and the CEL variables pod controls' rules read
 * (`AdmissionRule` in src/engine/types.ts). The kinds and paths are the scanner's own (`TemplatePaths`), so
 * `--pod-template-path` reaches admission the same way it reaches a scan.
 */
import { celHas, celString, celStrings, POD_FACT_VARIABLES } from '../../engine/admission-cel.js';
import type { TemplatePaths } from '../../kube/pod-templates.js';

export interface ResourceRule {
  readonly apiGroups: readonly string[];
  readonly apiVersions: readonly string[];
  readonly operations: readonly string[];
  readonly resources: readonly string[];
}

export interface Variable {
  readonly name: string;
  readonly expression: string;
}

/** The resource (plural) of each built-in kind with a pod template. */
const BUILTIN_RESOURCES: Readonly<Record<string, string>> = {
  Pod: 'pods',
  Deployment: 'deployments',
  ReplicaSet: 'replicasets',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
  Job: 'jobs',
  ReplicationController: 'replicationcontrollers',
  CronJob: 'cronjobs',
  PodTemplate: 'podtemplates',
};

const OPERATIONS = ['CREATE', 'UPDATE'] as const;

export interface PodTemplateMatch {
  readonly resourceRules: readonly ResourceRule[];
  /** CEL: the request is for a kind that has a pod template (a CRD that reuses a built-in name is not one). */
  readonly isPodTemplateKind: string;
  readonly variables: readonly Variable[];
}

export function podTemplateMatch(templatePaths: TemplatePaths): PodTemplateMatch {
  const kinds = templatePaths.kinds();
  // The scanner's precedence: a custom group/Kind, then a custom Kind in any group, then the built-in kinds.
  const ordered = [...kinds.filter((k) => k.group !== undefined && !(k.kind in BUILTIN_RESOURCES && isBuiltinGroup(k.group))), ...kinds.filter((k) => k.group === undefined), ...kinds.filter((k) => k.group !== undefined && k.kind in BUILTIN_RESOURCES && isBuiltinGroup(k.group))];
  const byGroup = new Map<string, string[]>();
  for (const k of kinds) {
    if (k.group === undefined || !(k.kind in BUILTIN_RESOURCES && isBuiltinGroup(k.group))) continue;
    const resources = byGroup.get(k.group) ?? [];
    resources.push(BUILTIN_RESOURCES[k.kind] as string);
    // Ephemeral containers are added through their own subresource, which PSA checks too.
    if (k.kind === 'Pod') resources.push('pods/ephemeralcontainers');
    byGroup.set(k.group, resources);
  }
  const resourceRules: ResourceRule[] = [...byGroup].map(([group, resources]) => ({ apiGroups: [group], apiVersions: ['*'], operations: [...OPERATIONS], resources }));
  // Custom kinds' plurals are not known here: match every resource of the group and let the kind condition choose.
  const customGroups = [...new Set(ordered.filter((k) => k.group !== undefined && !(k.kind in BUILTIN_RESOURCES && isBuiltinGroup(k.group))).map((k) => k.group as string))];
  for (const group of customGroups) resourceRules.push({ apiGroups: [group], apiVersions: ['*'], operations: [...OPERATIONS], resources: ['*'] });
  if (kinds.some((k) => k.group === undefined)) resourceRules.push({ apiGroups: ['*'], apiVersions: ['*'], operations: [...OPERATIONS], resources: ['*'] });

  // Kinds that keep their template at the same path share one branch: `variables.kind in [...]`.
  const branches: { kinds: (typeof kinds)[number][]; path: readonly string[] }[] = [];
  for (const k of ordered) {
    const last = branches[branches.length - 1];
    if (last && last.path.join('.') === k.path.join('.') && (last.kinds[0]?.group === undefined) === (k.group === undefined)) last.kinds.push(k);
    else branches.push({ kinds: [k], path: k.path });
  }
  const branchCondition = (branch: (typeof branches)[number]) =>
    branch.kinds[0]?.group === undefined
      ? `request.kind.kind in ${celStrings(branch.kinds.map((k) => k.kind))}`
      : `variables.kind in ${celStrings(branch.kinds.map((k) => `${k.group}/${k.kind}`))}`;
  const choose = (value: (path: readonly string[]) => string, otherwise: string) =>
    branches.reduceRight((rest, branch) => `${branchCondition(branch)} ? ${value(branch.path)} : ${rest}`, otherwise);
  const template = (path: readonly string[]) => (path.length === 0 ? 'object' : `(${celHas('object', path.join('.'))} ? object.${path.join('.')} : {})`);
  const dotted = (path: readonly string[], field: string) => celString([...path, field].join('.'));
  const list = (field: string) => `${celHas('variables.spec', field)} ? variables.spec.${field} : []`;

  return {
    resourceRules,
    isPodTemplateKind: [
      `(request.kind.group + '/' + request.kind.kind) in ${celStrings(kinds.filter((k) => k.group !== undefined).map((k) => `${k.group}/${k.kind}`))}`,
      ...(kinds.some((k) => k.group === undefined) ? [`request.kind.kind in ${celStrings(kinds.filter((k) => k.group === undefined).map((k) => k.kind))}`] : []),
    ].join(' || '),
    variables: [
      { name: 'kind', expression: "request.kind.group + '/' + request.kind.kind" },
      { name: 'template', expression: choose(template, '{}') },
      { name: 'spec', expression: `${celHas('variables.template', 'spec')} ? variables.template.spec : {}` },
      { name: 'metadata', expression: `${celHas('variables.template', 'metadata')} ? variables.template.metadata : {}` },
      { name: 'specPath', expression: choose((path) => dotted(path, 'spec'), celString('spec')) },
      { name: 'metadataPath', expression: choose((path) => dotted(path, 'metadata'), celString('metadata')) },
      { name: 'initContainers', expression: list('initContainers') },
      { name: 'containers', expression: list('containers') },
      { name: 'ephemeralContainers', expression: list('ephemeralContainers') },
      { name: 'allContainers', expression: 'variables.initContainers + variables.containers + variables.ephemeralContainers' },
      { name: 'volumes', expression: list('volumes') },
      ...POD_FACT_VARIABLES,
    ],
  };
}

function isBuiltinGroup(group: string): boolean {
  return group === '' || group === 'apps' || group === 'batch';
}
