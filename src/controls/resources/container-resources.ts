import type { FieldPath } from '../../vocabulary/field-path.js';
import type { Violation } from '../../engine/types.js';
import { array, isRecord, present, record, str } from '../../util/object.js';

/**
 * Containers that the resource controls look at: regular containers only. Init containers run one at a time
 * before them and ephemeral containers cannot set resources, as in Kubescape and Trivy.
 */
export function missingResource(
  spec: Record<string, unknown>,
  specPath: FieldPath,
  section: 'limits' | 'requests',
  resource: 'cpu' | 'memory',
): Violation[] {
  const violations: Violation[] = [];
  array(spec.containers).forEach((container, index) => {
    if (!isRecord(container)) return;
    const value = record(record(container.resources)?.[section])?.[resource];
    if (!present(value) || value === '') {
      violations.push({
        path: [...specPath, 'containers', index, 'resources', section, resource],
        message: `container "${str(container.name) ?? `#${index}`}" sets no ${resource} ${section === 'limits' ? 'limit' : 'request'}`,
      });
    }
  });
  return violations;
}
