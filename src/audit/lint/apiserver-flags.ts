/**
 * `audit lint --apiserver-flags FILE`: the API server's audit flags, from its static Pod manifest or from a plain
 * file of flags (one or more per line, as in a systemd drop-in or `ps` output).
 */
import type { ComponentConfig } from '../../components/component-config.js';
import { FlagSet, splitArguments } from '../../components/flags.js';
import { componentFromStaticPod } from '../../components/static-pod.js';
import { describeReadError, readInputFile } from '../../loader/safe-read.js';
import { loadResources, type InputError } from '../../loader/source.js';

export async function loadApiserverFlags(file: string, errors: InputError[]): Promise<ComponentConfig | undefined> {
  let bytes: Buffer;
  try {
    bytes = readInputFile(file, 'policy', { allowPipe: true });
  } catch (error) {
    errors.push({ file, line: null, column: null, message: describeReadError(error) });
    return undefined;
  }
  const text = bytes.toString('utf8');
  if (/^\s*(apiVersion|kind)\s*:/m.test(text) || /^\s*\{/.test(text)) {
    const manifestErrors: InputError[] = [];
    for (const resource of loadResources(file, bytes, manifestErrors, false)) {
      const component = componentFromStaticPod(resource);
      if (component?.component === 'kube-apiserver') return component;
    }
    errors.push(...manifestErrors);
    errors.push({ file, line: null, column: null, message: 'no kube-apiserver static Pod in this manifest (a Pod whose container runs kube-apiserver)' });
    return undefined;
  }
  return flagsFileComponent(file, text, errors);
}

function flagsFileComponent(file: string, text: string, errors: InputError[]): ComponentConfig | undefined {
  const tokens: { value: string; line: number }[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/^\s*#.*$/, '').replace(/\\\s*$/, '');
    for (const value of splitArguments(line)) tokens.push({ value, line: index + 1 });
  });
  const flags = FlagSet.parse(tokens.map((token) => token.value));
  if (flags.flags.length === 0) {
    errors.push({ file, line: null, column: null, message: 'no flags in this file: give the kube-apiserver manifest or its command line (--audit-log-path=... one or more per line)' });
    return undefined;
  }
  const lastLine = tokens[tokens.length - 1]?.line ?? 1;
  return {
    component: 'kube-apiserver',
    resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'kube-system', name: 'kube-apiserver' },
    flags,
    locate(at) {
      const flag = 'flag' in at ? flags.get(at.flag) : undefined;
      const line = flag ? (tokens[flag.index]?.line ?? 1) : lastLine;
      return { location: { file, line, column: 1 }, field: 'flag' in at ? `--${at.flag}` : '' };
    },
  };
}
