import { podAndContainers, securityContext } from '../../kube/containers.js';
import type { AutomaticFix } from '../fix-module.js';
import type { EditOp } from '../yaml-edit.js';

/** The user and group given when nobody chose one: unprivileged, outside the range distributions give to system users. */
export const NON_ROOT_ID = 10001;

export const fix: AutomaticFix = {
  controlId: 'POD-RUN-AS-NON-ROOT',
  risk: 'review',
  summary: `set runAsNonRoot: true on the pod (and true where a container says false), with user and group ${NON_ROOT_ID} where no user is chosen`,
  plan({ template }) {
    const edits: EditOp[] = [];
    const manual: string[] = [];
    const owners = podAndContainers(template.spec, template.specPath);
    const [pod, ...containers] = owners;
    if (!pod) return { edits, manual };
    const podContext = securityContext(pod.owner);
    if (podContext?.runAsNonRoot !== true) edits.push({ op: 'set', path: [...pod.path, 'securityContext', 'runAsNonRoot'], value: true });
    for (const owner of owners) {
      if (securityContext(owner.owner)?.runAsUser === 0) manual.push(`${owner.who} sets runAsUser: 0: decide which non-root user it can run as`);
    }
    for (const container of containers) {
      if (securityContext(container.owner)?.runAsNonRoot === false) edits.push({ op: 'set', path: [...container.path, 'securityContext', 'runAsNonRoot'], value: true });
    }
    // Without a user the kubelet refuses an image whose default user is root; one user and group for the whole pod.
    const someoneChoseUser = owners.some((owner) => securityContext(owner.owner)?.runAsUser !== undefined);
    if (!someoneChoseUser) {
      edits.push({ op: 'set', path: [...pod.path, 'securityContext', 'runAsUser'], value: NON_ROOT_ID });
      if (podContext?.runAsGroup === undefined) edits.push({ op: 'set', path: [...pod.path, 'securityContext', 'runAsGroup'], value: NON_ROOT_ID });
    }
    return { edits, manual };
  },
};
