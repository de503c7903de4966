/** Command-line flags as Kubernetes components read them (spf13/pflag): `--name=value`, `--name value`, `--flag`. */
export interface Flag {
  readonly name: string;
  readonly value: string;
  /** Index of the argument that holds the flag, for locating it in a manifest or file. */
  readonly index: number;
}

/**
 * Flags that take no value: `--profiling` alone means true, and the next argument is not its value. Only these
 * matter for parsing `--name value` pairs; every other flag takes the next argument when it is not a flag.
 */
const BOOLEAN_FLAGS = new Set([
  'allow-privileged',
  'anonymous-auth',
  'auto-tls',
  'client-cert-auth',
  'enable-bootstrap-token-auth',
  'enable-aggregator-routing',
  'kubelet-https',
  'leader-elect',
  'make-iptables-util-chains',
  'peer-auto-tls',
  'peer-client-cert-auth',
  'profiling',
  'protect-kernel-defaults',
  'rotate-certificates',
  'rotate-server-certificates',
  'seccomp-default',
  'service-account-extend-token-expiration',
  'service-account-lookup',
  'use-service-account-credentials',
  'v',
]);

export class FlagSet {
  private readonly byName = new Map<string, Flag[]>();

  constructor(readonly flags: readonly Flag[]) {
    for (const flag of flags) {
      let list = this.byName.get(flag.name);
      if (!list) this.byName.set(flag.name, (list = []));
      list.push(flag);
    }
  }

  static parse(args: readonly string[], firstIndex = 0): FlagSet {
    const flags: Flag[] = [];
    for (let i = 0; i < args.length; i++) {
      const arg = args[i] as string;
      if (!arg.startsWith('-') || arg === '-' || arg === '--') continue;
      const body = arg.replace(/^--?/, '');
      const equals = body.indexOf('=');
      if (equals !== -1) {
        flags.push({ name: body.slice(0, equals), value: unquote(body.slice(equals + 1)), index: firstIndex + i });
        continue;
      }
      const next = args[i + 1];
      if (!BOOLEAN_FLAGS.has(body) && next !== undefined && !next.startsWith('-')) {
        flags.push({ name: body, value: unquote(next), index: firstIndex + i });
        i++;
      } else {
        flags.push({ name: body, value: 'true', index: firstIndex + i });
      }
    }
    return new FlagSet(flags);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The flag as the component sees it: the last occurrence wins. */
  get(name: string): Flag | undefined {
    const list = this.byName.get(name);
    return list?.[list.length - 1];
  }

  value(name: string): string | undefined {
    return this.get(name)?.value;
  }

  /** A comma-separated list flag (`--enable-admission-plugins=A,B`); repeated occurrences add up, as pflag slices do. */
  list(name: string): string[] {
    return (this.byName.get(name) ?? []).flatMap((flag) => flag.value.split(',')).map((item) => item.trim()).filter((item) => item !== '');
  }

  /** A boolean flag's value; undefined when absent. pflag accepts 1/0, t/f, true/false in any case. */
  bool(name: string): boolean | undefined {
    const value = this.value(name);
    return value === undefined ? undefined : parseBool(value);
  }
}

/** pflag's booleans: 1/0, t/f, true/false in any case; anything else reads as false. */
export function parseBool(value: string): boolean {
  return ['1', 't', 'true'].includes(value.trim().toLowerCase());
}

function unquote(value: string): string {
  return value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0] ? value.slice(1, -1) : value;
}

/** Splits a shell-like flags line (`KUBELET_KUBEADM_ARGS="--a=b --c d"`), honouring simple quotes. */
export function splitArguments(text: string): string[] {
  const args: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) args.push(match[1] ?? match[2] ?? match[3] ?? '');
  return args;
}
