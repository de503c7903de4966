import yaml from 'js-yaml';

/**
 * kubectl and the API server read YAML through sigs.k8s.io/yaml (go-yaml v2, YAML 1.1), so `yes`, `on`, `y`
 * are booleans there. We read them the same way, so `privileged: yes` is judged as Kubernetes would judge it.
 */
const YAML11_TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE']);
const YAML11_FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE']);

const yaml11Bool = new yaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: unknown) =>
    typeof data === 'string' && data.length <= 5 && (YAML11_TRUE.has(data) || YAML11_FALSE.has(data)),
  construct: (data: string) => YAML11_TRUE.has(data),
  predicate: (object: unknown) => typeof object === 'boolean',
  represent: { lowercase: (object: object) => (object ? 'true' : 'false') },
  defaultStyle: 'lowercase',
});

/** Core schema (no timestamps: Kubernetes keeps them as strings) plus merge keys and YAML 1.1 booleans. */
// js-yaml 4 exports its built-in types at runtime; @types/js-yaml does not declare them.
const { merge } = (yaml as unknown as { types: { merge: yaml.Type } }).types;

export const KUBERNETES_YAML_SCHEMA = yaml.CORE_SCHEMA.extend({ implicit: [yaml11Bool, merge] });
