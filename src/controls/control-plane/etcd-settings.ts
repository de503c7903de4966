import type { ComponentConfig, ComponentViolation } from '../../components/component-config.js';
import { record, stringOf } from '../../util/object.js';
import { readConfigFile } from './config-file.js';
import { flagSettings, type Settings } from './flag-rules.js';

/** etcd's TLS flags and where its --config-file keeps them. */
function configPath(flag: string): [string, string] {
  return flag.startsWith('peer-') ? ['peer-transport-security', flag.slice('peer-'.length)] : ['client-transport-security', flag];
}

/**
 * etcd's TLS settings: its flags, or its --config-file, which makes etcd ignore every flag. A check gets `settings`
 * to judge, `problems` when the file cannot be used, or neither when the file exists for etcd but this scan cannot
 * read it (a live cluster).
 */
export function etcdSettings(component: ComponentConfig): { settings?: Settings; problems: ComponentViolation[] } {
  if (!component.flags.value('config-file')) return { settings: flagSettings(component), problems: [] };
  const file = readConfigFile(component, 'config-file');
  if (file === undefined) return { problems: [] };
  if ('problem' in file) return { problems: [{ at: { flag: 'config-file' }, message: `${file.problem}: etcd's TLS settings cannot be checked` }] };
  const { document, path } = file;
  return {
    problems: [],
    settings: {
      value: (flag) => {
        const [section, key] = configPath(flag);
        const value = record(document[section])?.[key];
        return value === undefined || value === null || value === '' ? undefined : stringOf(value);
      },
      at: (flag) => ({ config: configPath(flag) }),
      label: (flag) => `${configPath(flag).join('.')} in ${path}`,
      show: (flag, value) => `${configPath(flag).join('.')}: ${value} in ${path}`,
    },
  };
}

/** Runs a check on etcd's settings wherever they live; an unusable --config-file is the finding instead. */
export function checkEtcd(component: ComponentConfig, check: (settings: Settings) => ComponentViolation[]): ComponentViolation[] {
  const { settings, problems } = etcdSettings(component);
  return settings ? check(settings) : problems;
}
