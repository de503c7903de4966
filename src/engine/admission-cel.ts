/**
 * Small builders for the CEL a control carries beside its `check` (`admission`), so each control file states only
 * what is wrong, and every exported validation names the offending field and the control id the same way.
 * The variables they read are the ones `kubeharden export vap` defines (see `AdmissionRule` in types.ts).
 */
import type { AdmissionEach, AdmissionValidation, ControlMeta } from './types.js';

/** A CEL string literal. */
export function celString(value: string): string {
  return JSON.stringify(value);
}

/** A CEL list of string literals. */
export function celStrings(values: Iterable<string>): string {
  return `[${[...values].map(celString).join(', ')}]`;
}

/**
 * `has(c.a) && c.a != null && has(c.a.b) && c.a.b != null`: true when every field on the dotted path is set. The
 * API server drops nulls from built-in kinds, but a custom resource that keeps unknown fields (a Rollout) keeps
 * `hostPath: null`, which the scanner, like the API server for a Pod, reads as absent.
 */
export function celHas(root: string, path: string): string {
  const parts = path.split('.');
  return parts
    .map((_, index) => {
      const field = `${root}.${parts.slice(0, index + 1).join('.')}`;
      return `has(${field}) && ${field} != null`;
    })
    .join(' && ');
}

/** The Kubernetes release whose API server compiles new VAP expressions with CEL optional types (its environment at 1.28 is 1.27's). */
export const OPTIONAL_TYPES_MINOR = 29;

const HAS_LINK = /has\(([\w.]+)\) && ([\w.]+) != null/y;

/**
 * `celHas`'s chains two fields deep or more, as CEL optional selection: `has(c.a) && c.a != null && has(c.a.b) &&
 * c.a.b != null` becomes `c.?a.?b.orValue(null) != null`. The same truth (a null or a non-object on the way reads as
 * absent: optional selection on null gives none), one attribute walk instead of a walk per link, which is most of
 * what the API server spends on a policy. The export applies it from 1.29, where optional types are in the API
 * server's CEL environment; 1.28 keeps the `has()` chains.
 */
export function celOptionalPresence(expression: string): string {
  let out = '';
  let index = 0;
  for (let start = expression.indexOf('has(', index); start !== -1; start = expression.indexOf('has(', index)) {
    const links: string[] = [];
    let chainEnd = start;
    for (let at = start; ; at = chainEnd + ' && '.length) {
      HAS_LINK.lastIndex = at;
      const link = HAS_LINK.exec(expression);
      const field = link?.[1];
      // Each link is `has(x) && x != null` about one x, the last link's field plus one.
      if (!link || field === undefined || field !== link[2] || (links.length > 0 && !isChildField(links[links.length - 1] as string, field))) break;
      links.push(field);
      chainEnd = HAS_LINK.lastIndex;
      if (!expression.startsWith(' && has(', chainEnd)) break;
    }
    // A chain after `!` would be negated only in its first link: left alone (none is written so).
    if (links.length < 2 || expression[start - 1] === '!') {
      out += expression.slice(index, start + 'has('.length);
      index = start + 'has('.length;
      continue;
    }
    const first = links[0] as string;
    const root = first.slice(0, first.lastIndexOf('.'));
    const fields = (links[links.length - 1] as string).slice(root.length + 1).split('.');
    out += `${expression.slice(index, start)}${root}${fields.map((f) => `.?${f}`).join('')}.orValue(null) != null`;
    index = chainEnd;
  }
  return out + expression.slice(index);
}

function isChildField(parent: string, field: string): boolean {
  return field.startsWith(`${parent}.`) && !field.slice(parent.length + 1).includes('.');
}

/** True when the field is set and `test` (CEL over `value`, which stands for the field) holds. */
export function celField(root: string, path: string, test: (value: string) => string): string {
  return `(${celHas(root, path)} && ${test(`${root}.${path}`)})`;
}

export const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/** The control's own words after the field: `POD-X: <fields> must not be true (Title)`. */
function message(meta: ControlMeta, fields: string, must: string): string {
  return `${celString(`${meta.id}: `)} + ${fields} + ${celString(` ${must} (${meta.title})`)}`;
}

function exempt(unless: string | undefined, expression: string): string {
  return unless ? `(${unless}) || ${expression}` : expression;
}

/** A check over every item of a list, as its expression and in parts (`AdmissionValidation.each`). */
function eachCheck(each: AdmissionEach): Pick<AdmissionValidation, 'expression' | 'each'> {
  return { expression: eachExpression(each), each };
}

/** `unless || list.all(item, holds)`: the CEL of a check in parts, or of several such checks' predicates joined. */
export function eachExpression(each: AdmissionEach, holds: string = each.holds): string {
  return exempt(each.unless, `${each.list}.all(${each.item}, ${holds})`);
}

export interface ContainerRuleOptions {
  /** CEL over one container `c`: true when it breaks the control. */
  readonly violates: string;
  /** The field reported, after the container (`securityContext.privileged`). */
  readonly field: string;
  /** What the field must be (`must not be true`). */
  readonly must: string;
  /** CEL over the pod: true when the pod is exempt (a Windows pod from 1.25). */
  readonly unless?: string;
  /** The container lists judged (default: all three). */
  readonly lists?: readonly (typeof CONTAINER_LISTS)[number][];
}

/** Every container (init, regular, ephemeral) must not break the control; the message lists those that do. */
export function containerRule(meta: ControlMeta, options: ContainerRuleOptions): AdmissionValidation {
  const lists = options.lists ?? CONTAINER_LISTS;
  // On an object the policy judges (one that fails some check) the API server evaluates every messageExpression,
  // passing or not, so the message costs as much as the check: an empty list (most pods have no init or ephemeral
  // containers) is skipped without a comprehension, and the three-argument map filters and names in one pass.
  const fields = lists
    .map((list) => `(size(variables.${list}) == 0 ? [] : variables.${list}.map(c, ${options.violates}, variables.specPath + ${celString(`.${list}[name=`)} + c.name + ${celString(`].${options.field}`)}))`)
    .join(' + ');
  const list = lists.length === CONTAINER_LISTS.length ? 'variables.allContainers' : lists.map((l) => `variables.${l}`).join(' + ');
  return {
    ...eachCheck({ list, item: 'c', holds: `!(${options.violates})`, ...(options.unless ? { unless: options.unless } : {}) }),
    messageExpression: message(meta, `(${fields}).join(', ')`, options.must),
  };
}

export interface PodRuleOptions {
  /** CEL over the pod spec `variables.spec`: true when it breaks the control. */
  readonly violates: string;
  /** The field reported, after the pod spec (`hostNetwork`, `securityContext.runAsUser`). */
  readonly field: string;
  readonly must: string;
  readonly unless?: string;
}

/** A field of the pod spec itself. */
export function podRule(meta: ControlMeta, options: PodRuleOptions): AdmissionValidation {
  return {
    expression: exempt(options.unless, `!(${options.violates})`),
    messageExpression: message(meta, `variables.specPath + ${celString(`.${options.field}`)}`, options.must),
  };
}

export interface VolumeRuleOptions {
  /** CEL over one volume `v`: true when it breaks the control. */
  readonly violates: string;
  /** The field reported, after the volume (`hostPath`). */
  readonly field: string;
  readonly must: string;
}

/** Every volume of the pod must not break the control. */
export function volumeRule(meta: ControlMeta, options: VolumeRuleOptions): AdmissionValidation {
  const fields = `variables.volumes.map(v, ${options.violates}, variables.specPath + '.volumes[name=' + v.name + ']${options.field ? `.${options.field}` : ''}')`;
  return {
    ...eachCheck({ list: 'variables.volumes', item: 'v', holds: `!(${options.violates})` }),
    messageExpression: message(meta, `${fields}.join(', ')`, options.must),
  };
}

export interface AnnotationRuleOptions {
  /** CEL over an annotation key `k` and its value `variables.metadata.annotations[k]`: true when it breaks the control. */
  readonly violates: string;
  readonly must: string;
}

/** The pod template's annotations. */
export function annotationRule(meta: ControlMeta, options: AnnotationRuleOptions): AdmissionValidation {
  const annotations = 'variables.metadata.annotations';
  const fields = `${annotations}.map(k, ${options.violates}, variables.metadataPath + '.annotations[' + k + ']')`;
  return {
    expression: `!(${celHas('variables.metadata', 'annotations')}) || ${annotations}.all(k, !(${options.violates}))`,
    messageExpression: message(meta, `(${celHas('variables.metadata', 'annotations')} ? ${fields} : []).join(', ')`, options.must),
  };
}

/**
 * CEL variables over the pod that several controls' rules read, each computed once per request instead of once per
 * rule (`kubeharden export vap` defines them beside the pod template's; see `AdmissionRule` in types.ts).
 */
export const POD_FACT_VARIABLES = [
  { name: 'windowsPod', expression: `${celHas('variables.spec', 'os.name')} && variables.spec.os.name == 'windows'` },
  { name: 'userNamespacePod', expression: `${celHas('variables.spec', 'hostUsers')} && variables.spec.hostUsers == false` },
] as const;

/** CEL: the pod declares `spec.os.name: windows` (several restricted checks exempt it from 1.25). */
export const WINDOWS_POD = 'variables.windowsPod';

/** CEL: the pod runs in a user namespace (`hostUsers: false`), which relaxes some checks from 1.35. */
export const USER_NAMESPACE_POD = 'variables.userNamespacePod';

/** CEL: the image reference `image` names a digest (`parseImageReference`: a non-empty part after the first `@`). */
export function celImageHasDigest(image: string): string {
  return `${image}.matches('@.')`;
}

/** CEL: the reference without its digest, where the tag is looked for (after a `:` that follows the last `/`). */
export function celImageWithoutDigest(image: string): string {
  return `(${image}.contains('@') ? ${image}.substring(0, ${image}.indexOf('@')) : ${image})`;
}

/** CEL over a container `c`: it names an image (a non-empty string), as `containerImages` requires. */
export const CONTAINER_HAS_IMAGE = celField('c', 'image', (v) => `type(${v}) == string && ${v} != ''`);

export interface ObjectRuleOptions {
  /** CEL over the whole `object`: true when it breaks the control. */
  readonly violates: string;
  /** The field reported, from the object root (`spec.type`). */
  readonly field: string;
  readonly must: string;
}

/** An object control's rule over the object itself (a Service, an Ingress). */
export function objectRule(meta: ControlMeta, options: ObjectRuleOptions): AdmissionValidation {
  return { expression: `!(${options.violates})`, messageExpression: message(meta, celString(options.field), options.must) };
}

export interface ObjectFieldsRuleOptions {
  /** CEL: the list of offending fields (strings, from the object root); empty when the object passes. */
  readonly fields: string;
  readonly must: string;
}

/** An object rule whose message names each offending field (`subjects[name=system:anonymous]`). */
export function objectFieldsRule(meta: ControlMeta, options: ObjectFieldsRuleOptions): AdmissionValidation {
  return { expression: `size(${options.fields}) == 0`, messageExpression: message(meta, `${options.fields}.join(', ')`, options.must) };
}

/** CEL: the object carries the label Kubernetes' own bootstrap RBAC policy is marked with, which RBAC controls leave alone. */
export const RBAC_BOOTSTRAP_OBJECT = `(${celHas('object', 'metadata.labels')} && 'kubernetes.io/bootstrapping' in object.metadata.labels && object.metadata.labels['kubernetes.io/bootstrapping'] == 'rbac-defaults')`;

/** CEL: the binding's subjects the scanner reads (User, Group and ServiceAccount; others grant nothing) that `test` picks, as fields. */
export function celBindingSubjects(test: (subject: string) => string): string {
  return `(${celHas('object', 'subjects')} ? object.subjects.filter(s, s.kind in ['User', 'Group', 'ServiceAccount'] && ${test('s')}).map(s, 'subjects[name=' + s.name + ']') : [])`;
}
