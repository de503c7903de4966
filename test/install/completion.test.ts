/**
 * `kubeharden completion bash|zsh|fish` in the real shells: each script registers itself for both command names,
 * and each shell, completing the way it does on TAB, gives the expected words for the same command lines, and for
 * every command exactly the flags its --help lists.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../support/cli-process.js';
import { PROJECT_ROOT } from '../support/paths.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('completion');
const SHELLS = ['bash', 'zsh', 'fish'] as const;
type Shell = (typeof SHELLS)[number];
const scriptFiles = Object.fromEntries(
  SHELLS.map((shell) => {
    const file = join(dir, `kubeharden.${shell}`);
    writeFileSync(file, runCli(['completion', shell]).stdout);
    return [shell, file];
  }),
) as Record<Shell, string>;

/**
 * bash: words split as readline does for these lines, COMP_CWORD the last word, then the function `complete -p`
 * names for the line's command, as bash calls it on TAB.
 */
const BASH_DRIVER = `
set -u
source "$1"; shift
for line in "$@"; do
  read -ra COMP_WORDS <<< "$line"
  [[ "$line" == *" " ]] && COMP_WORDS+=("")
  COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); COMP_LINE="$line"; COMP_POINT=\${#line}
  spec="$(complete -p "\${COMP_WORDS[0]}")"
  function="\${spec#*-F }"; function="\${function%% *}"
  COMPREPLY=()
  "$function" "\${COMP_WORDS[0]}" "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD - 1]}"
  printf '%s\\n' "\${COMPREPLY[@]}"
  echo '<end>'
done
`;

/**
 * zsh: an interactive zsh -f on a pseudo-terminal (zpty) sources the script (compinit, bashcompinit), then each
 * line is typed and TAB pressed: the widget runs zsh's own completion, and compadd, wrapped, writes the matches
 * zsh keeps for the word (compadd -O) to a file before adding them. ^U clears the line for the next one.
 */
const ZSH_SETUP = `
PS1='' RPROMPT=''
source "$KH_SCRIPT"
compadd() {
  local -a hits
  builtin compadd -O hits "$@"
  (( $#hits )) && print -rl -- "\${hits[@]}" >> "$KH_OUT"
  builtin compadd "$@"
}
_kh_complete() {
  zle complete-word
  print -r -- '<end>' >> "$KH_OUT"
}
zle -N _kh_complete
bindkey '^I' _kh_complete
`;
const ZSH_DRIVER = `
zmodload zsh/zpty
: > "$KH_OUT"
zpty z zsh -f -i
zpty -w z "source \${(q)KH_SETUP}"
n=0
for line in "$@"; do
  (( n++ ))
  zpty -w -n z "$line"$'\\t'
  for i in {1..200}; do
    (( $(grep -c '^<end>$' "$KH_OUT") >= n )) && break
    sleep 0.05
  done
  (( i == 200 )) && { print -u2 "no completion for: $line"; exit 1 }
  zpty -w -n z $'\\C-u'
done
zpty -d z
cat "$KH_OUT"
`;

/** fish: its own \`complete -C\` (what TAB shows), the descriptions cut off. */
const FISH_DRIVER = `
source $argv[1]
for line in $argv[2..]
  complete -C "$line" | string replace -r '\\t.*' ''
  echo '<end>'
end
`;

/** The completions of each line in a real shell, sorted; a folder's trailing / (fish adds one) is left off. */
function complete(shell: Shell, lines: readonly string[]): string[][] {
  const zshFiles = { KH_SCRIPT: scriptFiles.zsh, KH_OUT: join(dir, 'zsh-matches'), KH_SETUP: join(dir, 'setup.zsh') };
  if (shell === 'zsh') writeFileSync(zshFiles.KH_SETUP, ZSH_SETUP);
  const [command, args] =
    shell === 'bash'
      ? ['bash', ['-c', BASH_DRIVER, 'driver', scriptFiles.bash, ...lines]]
      : shell === 'zsh'
        ? ['zsh', ['-f', '-c', ZSH_DRIVER, 'driver', ...lines]]
        : ['fish', ['--no-config', '-c', FISH_DRIVER, scriptFiles.fish, ...lines]];
  const result = spawnSync(command, args, { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 120_000, env: { ...process.env, HOME: dir, ...zshFiles } });
  assert.equal(result.status, 0, `${shell}: ${result.stderr}`);
  assert.equal(result.stderr, '');
  return result.stdout
    .split('<end>\n')
    .slice(0, -1)
    .map((block) => [...new Set(block.split('\n').filter((word) => word !== '').map((word) => (word.length > 1 ? word.replace(/\/$/, '') : word)))].sort());
}

const helpTexts = new Map<string, string>();

/** `kubeharden PATH --help`, run once per path (every shell's test asks). */
function helpText(path: readonly string[]): string {
  const key = path.join(' ');
  if (!helpTexts.has(key)) helpTexts.set(key, runCli([...path, '--help']).stdout);
  return helpTexts.get(key) as string;
}

/** The subcommands `--help` lists under "Commands:" (help itself left out): what completion must offer. */
function helpCommands(path: readonly string[]): string[] {
  const help = helpText(path);
  const at = help.indexOf('Commands:');
  if (at < 0) return [];
  return [...help.slice(at).matchAll(/^ {2}([a-z][\w-]*)/gm)].map((match) => match[1] as string).filter((name) => name !== 'help').sort();
}

/** Every command that runs something, as its words: `scan`, `rbac who-can`, `psa plan`, … from the help texts. */
function leafCommands(path: readonly string[] = []): string[][] {
  return helpCommands(path).flatMap((name) => {
    const below = leafCommands([...path, name]);
    return below.length > 0 ? below : [[...path, name]];
  });
}

const CASES: readonly (readonly [line: string, expected: readonly string[]])[] = [
  ['kubeharden ', helpCommands([])],
  ['kubeharden rb', ['rbac']],
  ['kubeharden rbac ', ['generate', 'subject', 'who-can']],
  ['kubectl-kubeharden audit d', ['detect']],
  ['kubeharden scan --fr', ['--framework']],
  ['kubeharden scan --framework ', ['all', 'nsa', 'pss-baseline', 'pss-restricted']],
  ['kubeharden scan -f pss-', ['pss-baseline', 'pss-restricted']],
  ['kubeharden scan --fail-on ', ['critical', 'high', 'info', 'low', 'medium', 'none']],
  ['kubeharden scan --format json,s', ['json,sarif']],
  ['kubeharden scan --severity critical,', ['critical,critical', 'critical,high', 'critical,info', 'critical,low', 'critical,medium']],
  ['kubeharden scan -k 1.3', ['1.3', '1.30', '1.31', '1.32', '1.33', '1.34', '1.35', '1.36', '1.37']],
  // A flag's value is skipped on the way to the command path, so flags after it still complete.
  ['kubeharden scan -f nsa --fo', ['--format']],
  ['kubeharden scan examples/ins', ['examples/insecure']],
  ['kubeharden scan --output-dir exa', ['examples']],
  ['kubeharden controls POD-NO-PRIV', ['POD-NO-PRIV-ESCALATION', 'POD-NO-PRIVILEGED']],
  ['kubeharden controls --format ', ['json', 'table']],
  ['kubeharden rbac subject ', ['Group', 'ServiceAccount', 'User']],
  ['kubeharden rbac who-can get secrets --na', ['--name', '--namespace']],
  ['kubeharden netpol reach -o ', ['dot', 'html', 'json', 'table']],
  ['kubeharden completion ', ['bash', 'fish', 'zsh']],
];

/** Which shells are installed; a missing one is a skip that names it (CI installs all three). */
function missingShell(shell: Shell): string | false {
  return spawnSync(shell, ['--version'], { encoding: 'utf8' }).status === 0 ? false : `${shell} is not installed (apt-get install ${shell})`;
}

describe('kubeharden completion bash', () => {
  it('registers one function for kubeharden and kubectl-kubeharden', () => {
    const result = spawnSync('bash', ['-c', 'source "$1" && complete -p kubeharden kubectl-kubeharden', 'check', scriptFiles.bash], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(result.stdout.trim().split('\n'), ['complete -F _kubeharden kubeharden', 'complete -F _kubeharden kubectl-kubeharden']);
  });
});

describe('kubeharden completion zsh', () => {
  it('registers with compdef for kubeharden and kubectl-kubeharden (through bashcompinit)', { skip: missingShell('zsh') }, () => {
    const result = spawnSync('zsh', ['-f', '-c', 'source "$1" && print -r -- "$_comps[kubeharden]" "$_comps[kubectl-kubeharden]"', 'check', scriptFiles.zsh], { encoding: 'utf8', env: { ...process.env, HOME: dir } });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, '_bash_complete -F _kubeharden _bash_complete -F _kubeharden\n');
  });
});

for (const shell of SHELLS) {
  describe(`kubeharden completion ${shell} in a real ${shell}`, () => {
    const skip = missingShell(shell);

    it('completes commands, flags, choices, formats, versions, control ids, files and folders', { skip }, () => {
      const replies = complete(shell, CASES.map(([line]) => line));
      CASES.forEach(([line, expected], index) => assert.deepEqual(replies[index], [...expected].sort(), line));
    });

    it("every command's flags complete after -- exactly as its --help lists them", { skip }, () => {
      const leaves = leafCommands();
      // Each group completes to exactly the subcommands its help lists.
      const groups = [...new Set(leaves.filter((words) => words.length > 1).map((words) => words.slice(0, -1).join(' ')))];
      complete(shell, groups.map((group) => `kubeharden ${group} `)).forEach((reply, index) => assert.deepEqual(reply, helpCommands((groups[index] as string).split(' ')), groups[index]));
      const commands = leaves.map((words) => words.join(' '));
      assert.ok(commands.includes('scan') && commands.includes('rbac who-can') && commands.length >= 17, commands.join(', '));
      const replies = complete(shell, commands.map((command) => `kubeharden ${command} --`));
      commands.forEach((command, index) => {
        const help = helpText(command.split(' '));
        const listed = [...new Set(help.slice(help.indexOf('Options:')).match(/(?<=^ {2}(?:-\w, )?)--[\w-]+/gm) ?? [])].sort();
        assert.ok(listed.length > 0, command);
        assert.deepEqual(replies[index], listed, command);
      });
    });
  });
}
