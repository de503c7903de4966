/**
 * `kubeharden completion bash` in a real bash: the script registers itself with `complete` for both command names,
 * and the function it registers gives the expected words for each command line, the way bash calls it on TAB.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../support/cli-process.js';
import { PROJECT_ROOT } from '../support/paths.js';
import { tempDir } from '../support/temp-dir.js';

const script = runCli(['completion', 'bash']);
const dir = tempDir('completion');
const scriptFile = join(dir, 'kubeharden.bash');
writeFileSync(scriptFile, script.stdout);

/**
 * Completes each line in one bash: words split as readline does for these lines, COMP_CWORD the last word, then
 * the function `complete -p` names for the line's command. Prints each reply sorted, one block per line.
 */
function complete(lines: readonly string[]): string[][] {
  const driver = `
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
  printf '%s\\n' "\${COMPREPLY[@]}" | LC_ALL=C sort
  echo '<end>'
done
`;
  const result = spawnSync('bash', ['-c', driver, 'driver', scriptFile, ...lines], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stderr, '');
  return result.stdout
    .split('<end>\n')
    .slice(0, -1)
    .map((block) => block.split('\n').filter((word) => word !== ''));
}

/** The subcommands `--help` lists under "Commands:" (help itself left out): what completion must offer. */
function helpCommands(path: readonly string[]): string[] {
  const help = runCli([...path, '--help']).stdout;
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

describe('kubeharden completion bash', () => {
  it('registers one function for kubeharden and kubectl-kubeharden', () => {
    const result = spawnSync('bash', ['-c', 'source "$1" && complete -p kubeharden kubectl-kubeharden', 'check', scriptFile], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(result.stdout.trim().split('\n'), ['complete -F _kubeharden kubeharden', 'complete -F _kubeharden kubectl-kubeharden']);
  });

  it('completes commands, flags, choices, formats, versions, control ids, files and folders', () => {
    const replies = complete(CASES.map(([line]) => line));
    CASES.forEach(([line, expected], index) => assert.deepEqual(replies[index], [...expected], line));
  });

  it("every command's flags complete after -- exactly as its --help lists them", () => {
    const leaves = leafCommands();
    // Each group completes to exactly the subcommands its help lists.
    const groups = [...new Set(leaves.filter((words) => words.length > 1).map((words) => words.slice(0, -1).join(' ')))];
    complete(groups.map((group) => `kubeharden ${group} `)).forEach((reply, index) => assert.deepEqual(reply, helpCommands((groups[index] as string).split(' ')), groups[index]));
    const commands = leaves.map((words) => words.join(' '));
    assert.ok(commands.includes('scan') && commands.includes('rbac who-can') && commands.length >= 17, commands.join(', '));
    const replies = complete(commands.map((command) => `kubeharden ${command} --`));
    commands.forEach((command, index) => {
      const help = runCli([...command.split(' '), '--help']).stdout;
      const listed = [...new Set(help.slice(help.indexOf('Options:')).match(/(?<=^ {2}(?:-\w, )?)--[\w-]+/gm) ?? [])].sort();
      assert.ok(listed.length > 0, command);
      assert.deepEqual(replies[index], listed, command);
    });
  });
});
