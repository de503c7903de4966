/**
 * The flags of `scan` that render charts and overlays found in the paths, and leave paths out: `--helm`,
 * `--kustomize`, Helm's `--values`/`--set`/`--set-string`/`--namespace`, `--exclude`. What they mean for a scan is
 * collect-options.ts, loaded when a scan runs.
 */
import { Option, type Command } from 'commander';

const repeat = (value: string, previous: string[]) => [...previous, value];

export function addRenderOptions(command: Command): Command {
  return command
    .addOption(new Option('--helm <path>', 'the helm binary that renders chart folders (default: helm on PATH)').env('KUBEHARDEN_HELM'))
    .addOption(new Option('--kustomize <path>', 'the kustomize binary that builds overlays (default: kustomize on PATH, else kubectl kustomize)').env('KUBEHARDEN_KUSTOMIZE'))
    .addOption(new Option('--values <file>', 'a values file for every chart rendered (repeatable, later ones win)').argParser(repeat).default([]))
    .addOption(new Option('--set <key=value>', "helm template --set for every chart rendered (repeatable)").argParser(repeat).default([]))
    .addOption(new Option('--set-string <key=value>', 'helm template --set-string for every chart rendered (repeatable)').argParser(repeat).default([]))
    .addOption(new Option('--namespace <namespace>', 'the namespace charts are rendered for (helm template --namespace)'))
    .addOption(new Option('--exclude <glob>', 'leave out paths matching this gitignore-style pattern, relative to the working folder (repeatable)').argParser(repeat).default([]))
    .addOption(new Option('--diff-base <ref>', 'inside a git repository: also scan the tree at REF and report the findings the change introduces, fixes and keeps; --fail-on gates the introduced ones only'));
}
