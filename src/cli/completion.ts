/**
 * `kubeharden completion bash|zsh|fish`: shell completion generated from commander's own command definitions, so
 * a new command, flag or choice completes without anyone editing a script. The tables (subcommands, flags, which
 * flags take a value, the values) are written into the script: a TAB never starts Node.
 */
import { Help, type Command, type Option } from 'commander';
import { SEVERITIES } from '../vocabulary/severity.js';
import { FORMAT_IDS, POLICY_REPORT_APIS } from '../report/format-ids.js';
import { NEWEST_KNOWN_MINOR } from '../kube/version.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** What a value completes to: fixed words (comma-separated lists when `list`), files, folders, or kubeconfig contexts. */
type Values =
  | { readonly kind: 'words'; readonly words: readonly string[]; readonly list?: boolean }
  | { readonly kind: 'files' }
  | { readonly kind: 'directories' }
  | { readonly kind: 'contexts' }
  | { readonly kind: 'none' };

interface FlagSpec {
  readonly names: readonly string[];
  readonly description: string;
  /** Absent: the flag takes no value. */
  readonly values?: Values;
}

interface CommandSpec {
  /** `''` for the program, `rbac who-can` for a subcommand. */
  readonly path: string;
  readonly description: string;
  readonly subcommands: readonly { readonly name: string; readonly description: string }[];
  readonly flags: readonly FlagSpec[];
  /** What the positional arguments complete to. */
  readonly operands: Values;
}

const FILE_FLAGS = new Set(['--config', '--output', '--baseline', '--kubeconfig', '--from-audit', '--from-flows', '--apiserver-flags', '--policy']);
const DIRECTORY_FLAGS = new Set(['--output-dir', '--root', '--patches']);
const FILE_OPERANDS = new Set(['paths', 'logs', 'policies', 'policy']);

/** Flags whose values are not commander choices (they take comma-separated lists) but still have known words. */
function knownValues(flag: string): Values | undefined {
  switch (flag) {
    case '--format':
      return { kind: 'words', words: FORMAT_IDS, list: true };
    case '--severity':
      return { kind: 'words', words: SEVERITIES, list: true };
    case '--policyreport-api':
      return { kind: 'words', words: POLICY_REPORT_APIS };
    case '--k8s-version':
      return { kind: 'words', words: ['latest', ...Array.from({ length: NEWEST_KNOWN_MINOR }, (_, index) => `1.${NEWEST_KNOWN_MINOR - index}`)] };
    case '--context':
      return { kind: 'contexts' };
    default:
      if (FILE_FLAGS.has(flag)) return { kind: 'files' };
      if (DIRECTORY_FLAGS.has(flag)) return { kind: 'directories' };
      return undefined;
  }
}

function flagSpec(option: Option): FlagSpec {
  const names = [option.short, option.long].filter((name): name is string => name !== undefined);
  const description = option.description;
  if (!option.required && !option.optional) return { names, description };
  const long = option.long ?? '';
  const values: Values = option.argChoices ? { kind: 'words', words: option.argChoices } : (knownValues(long) ?? { kind: 'none' });
  return { names, description, values };
}

function operandValues(command: Command, controlIds: readonly string[]): Values {
  const argument = command.registeredArguments[0];
  if (!argument) return { kind: 'none' };
  if (argument.argChoices) return { kind: 'words', words: argument.argChoices };
  if (argument.name() === 'ids') return { kind: 'words', words: controlIds };
  if (argument.name() === 'kind') return { kind: 'words', words: ['User', 'Group', 'ServiceAccount'] };
  // `rbac who-can VERB RESOURCE PATHS...`: the manifests come last; files are the useful guess throughout.
  if (command.registeredArguments.some((candidate) => FILE_OPERANDS.has(candidate.name()))) return { kind: 'files' };
  return { kind: 'none' };
}

/** Every command of the program, depth first, with what completes after it. */
export function commandSpecs(program: Command, controlIds: readonly string[]): CommandSpec[] {
  const help = new Help();
  const specs: CommandSpec[] = [];
  const visit = (command: Command, path: string): void => {
    const children = help.visibleCommands(command).filter((child) => child.name() !== 'help');
    specs.push({
      path,
      description: command.description(),
      subcommands: children.map((child) => ({ name: child.name(), description: child.description() })),
      flags: help.visibleOptions(command).map(flagSpec),
      operands: operandValues(command, controlIds),
    });
    for (const child of children) visit(child, path === '' ? child.name() : `${path} ${child.name()}`);
  };
  visit(program, '');
  return specs;
}

export function renderCompletion(shell: Shell, specs: readonly CommandSpec[]): string {
  switch (shell) {
    case 'bash':
      return renderBash(specs);
    case 'zsh':
      return renderZsh(specs);
    case 'fish':
      return renderFish(specs);
  }
}

/** A bash/zsh single-quoted word: safe for any text. */
function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function bashValues(values: Values): string {
  switch (values.kind) {
    case 'words':
      return values.list ? `_kubeharden_list ${quote(values.words.join(' '))}` : `_kubeharden_words ${quote(values.words.join(' '))}`;
    case 'files':
      return '_kubeharden_files';
    case 'directories':
      return '_kubeharden_directories';
    case 'contexts':
      return '_kubeharden_words "$(kubectl config get-contexts -o name 2>/dev/null)"';
    case 'none':
      return 'COMPREPLY=()';
  }
}

function renderBash(specs: readonly CommandSpec[]): string {
  const pathCases = specs.map((spec) => `    ${quote(spec.path)}) ${spec.subcommands.length > 0 ? `echo ${quote(spec.subcommands.map((sub) => sub.name).join(' '))}` : ':'} ;;`);
  const flagCases = specs.map((spec) => `    ${quote(spec.path)}) echo ${quote(spec.flags.flatMap((flag) => flag.names).join(' '))} ;;`);
  const valueCases = specs.flatMap((spec) =>
    spec.flags
      .filter((flag) => flag.values !== undefined)
      .map((flag) => `    ${flag.names.map((name) => quote(`${spec.path}|${name}`)).join('|')}) ${bashValues(flag.values as Values)}; return 0 ;;`),
  );
  const operandCases = specs.map((spec) => `    ${quote(spec.path)}) ${bashValues(spec.operands)} ;;`);
  return `# bash completion for kubeharden (and kubectl-kubeharden), generated by \`kubeharden completion bash\`.
#   source <(kubeharden completion bash)                                    # this shell
#   kubeharden completion bash > ~/.local/share/bash-completion/completions/kubeharden   # every new shell

_kubeharden_subcommands() {
  case "$1" in
${pathCases.join('\n')}
  esac
}

_kubeharden_flags() {
  case "$1" in
${flagCases.join('\n')}
  esac
}

# Completes the value of flag $2 of command $1; returns 1 when $2 takes no value.
_kubeharden_flag_value() {
  case "$1|$2" in
${valueCases.join('\n')}
  esac
  return 1
}

_kubeharden_operands() {
  case "$1" in
${operandCases.join('\n')}
  esac
}

_kubeharden_words() {
  local IFS=$' \\t\\n'
  COMPREPLY=($(compgen -W "$1" -- "$cur"))
}

# A comma-separated list: completes the item after the last comma, keeping the ones before it.
_kubeharden_list() {
  local IFS=$' \\t\\n' done="" item="$cur"
  if [[ "$cur" == *,* ]]; then done="\${cur%,*},"; item="\${cur##*,}"; fi
  COMPREPLY=($(compgen -P "$done" -W "$1" -- "$item"))
}

_kubeharden_files() {
  local IFS=$'\\n'
  compopt -o filenames 2>/dev/null
  COMPREPLY=($(compgen -f -- "$cur"))
}

_kubeharden_directories() {
  local IFS=$'\\n'
  compopt -o filenames 2>/dev/null
  COMPREPLY=($(compgen -d -- "$cur"))
}

_kubeharden() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" word index
  COMPREPLY=()
  # The command path so far: subcommand names, skipping flags and the values of flags that take one.
  for ((index = 1; index < COMP_CWORD; index++)); do
    word="\${COMP_WORDS[index]}"
    if [[ "$word" == -* ]]; then
      if [[ "$word" != *=* ]] && _kubeharden_flag_value "$path" "$word" >/dev/null; then ((index++)); fi
      continue
    fi
    if [[ " $(_kubeharden_subcommands "$path") " == *" $word "* ]]; then path="\${path:+$path }$word"; fi
  done
  COMPREPLY=()
  if ((COMP_CWORD > 1)) && [[ "$cur" != -* ]]; then
    local previous="\${COMP_WORDS[COMP_CWORD - 1]}"
    if [[ "$previous" == -* ]] && _kubeharden_flag_value "$path" "$previous"; then return 0; fi
  fi
  if [[ "$cur" == -* ]]; then
    local IFS=$' \\t\\n'
    COMPREPLY=($(compgen -W "$(_kubeharden_flags "$path")" -- "$cur"))
    return 0
  fi
  local subcommands
  subcommands="$(_kubeharden_subcommands "$path")"
  if [[ -n "$subcommands" ]]; then
    local IFS=$' \\t\\n'
    COMPREPLY=($(compgen -W "$subcommands" -- "$cur"))
    return 0
  fi
  _kubeharden_operands "$path"
}

complete -F _kubeharden kubeharden kubectl-kubeharden
`;
}

/** zsh runs the bash completion through its own bashcompinit, so both shells complete the same things. */
function renderZsh(specs: readonly CommandSpec[]): string {
  return `#compdef kubeharden kubectl-kubeharden
# zsh completion for kubeharden, generated by \`kubeharden completion zsh\`: the bash completion, through zsh's
# bashcompinit.   source <(kubeharden completion zsh)
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${renderBash(specs).split('\n').filter((line) => !line.startsWith('#')).join('\n')}`;
}

function fishValues(values: Values): string {
  switch (values.kind) {
    case 'words':
      // fish completes a comma list item by item when the words are offered after the current prefix.
      return values.list
        ? ` -f -a "(string replace -r '[^,]*\\$' '' -- (commandline -ct))(string split ' ' -- ${fishQuote(values.words.join(' '))})"`
        : ` -f -a ${fishQuote(values.words.join(' '))}`;
    case 'files':
      return ' -F';
    case 'directories':
      return " -f -a '(__fish_complete_directories)'";
    case 'contexts':
      return " -f -a '(kubectl config get-contexts -o name 2>/dev/null)'";
    case 'none':
      return ' -f';
  }
}

function fishQuote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * fish: a completion applies when the command path typed so far is exactly its command's. fish's own
 * `__fish_seen_subcommand_from` cannot tell `serve` from `audit serve`, so the script walks the words itself.
 */
function fishCondition(spec: CommandSpec): string {
  return `-n ${fishQuote(`__kubeharden_is ${fishQuote(spec.path)}`)}`;
}

/**
 * `__kubeharden_path`: the words before the cursor that are subcommands of the path so far (flags, their values
 * and operands are skipped), remembered for the line, since fish asks every completion's condition on each TAB.
 */
function fishPathFunctions(specs: readonly CommandSpec[]): string[] {
  return [
    'function __kubeharden_children',
    '    switch $argv[1]',
    ...specs
      .filter((spec) => spec.subcommands.length > 0)
      .flatMap((spec) => [`        case ${fishQuote(spec.path)}`, `            printf '%s\\n' ${spec.subcommands.map((sub) => sub.name).join(' ')}`]),
    '    end',
    'end',
    'function __kubeharden_path',
    '    set -l line (commandline -opc)',
    '    if test "$line" = "$__kubeharden_line"',
    '        echo $__kubeharden_cached_path',
    '        return',
    '    end',
    "    set -l path ''",
    '    for word in $line[2..-1]',
    '        if contains -- $word (__kubeharden_children $path)',
    '            set path (string trim -- "$path $word")',
    '        end',
    '    end',
    '    set -g __kubeharden_line $line',
    '    set -g __kubeharden_cached_path $path',
    '    echo $path',
    'end',
    'function __kubeharden_is',
    '    set -l path (__kubeharden_path)',
    '    test "$path" = "$argv[1]"',
    'end',
    '',
  ];
}

function renderFish(specs: readonly CommandSpec[]): string {
  const lines = ['# fish completion for kubeharden, generated by `kubeharden completion fish`.', '#   kubeharden completion fish > ~/.config/fish/completions/kubeharden.fish', '', ...fishPathFunctions(specs)];
  for (const program of ['kubeharden', 'kubectl-kubeharden']) {
    lines.push(`complete -c ${program} -f`);
    for (const spec of specs) {
      const condition = fishCondition(spec);
      for (const sub of spec.subcommands) lines.push(`complete -c ${program} ${condition} -a ${fishQuote(sub.name)} -d ${fishQuote(sub.description)}`);
      for (const flag of spec.flags) {
        const names = flag.names.map((name) => (name.startsWith('--') ? `-l ${name.slice(2)}` : `-s ${name.slice(1)}`)).join(' ');
        const value = flag.values === undefined ? '' : ` -r${fishValues(flag.values)}`;
        lines.push(`complete -c ${program} ${condition} ${names}${value} -d ${fishQuote(flag.description)}`);
      }
      if (spec.subcommands.length === 0 && spec.operands.kind !== 'none') lines.push(`complete -c ${program} ${condition}${fishValues(spec.operands)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
