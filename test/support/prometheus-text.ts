/**
 * A strict reader of Prometheus' text exposition format 0.0.4, as Prometheus' own parser (expfmt) reads it: every
 * family has HELP and TYPE before its samples and appears once; names and label names are valid; label values
 * use only the three escapes; values are floats (NaN, +Inf, -Inf); histograms have ascending `le` buckets ending in
 * +Inf, cumulative counts, and a _count equal to the +Inf bucket. It throws on the first deviation, naming the line.
 */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function parsePrometheusText(text: string): { samples: Sample[]; types: Map<string, string> } {
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const types = new Map<string, string>();
  const helps = new Set<string>();
  const finished = new Set<string>();
  const samples: Sample[] = [];
  let current: string | undefined;
  const lines = text.slice(0, -1).split('\n');
  lines.forEach((line, index) => {
    const where = `line ${index + 1} (${JSON.stringify(line.slice(0, 80))})`;
    if (line.startsWith('# HELP ') || line.startsWith('# TYPE ')) {
      const [, keyword, name, ...rest] = line.split(' ');
      if (!name || !NAME.test(name)) throw new Error(`${where}: bad metric name`);
      if (name !== current) {
        if (current) finished.add(current);
        if (finished.has(name)) throw new Error(`${where}: family ${name} appears twice`);
        current = name;
      }
      if (keyword === 'TYPE') {
        if (types.has(name)) throw new Error(`${where}: second TYPE`);
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(rest[0] ?? '') || rest.length !== 1) throw new Error(`${where}: bad type`);
        types.set(name, rest[0]!);
      } else {
        if (helps.has(name)) throw new Error(`${where}: second HELP`);
        helps.add(name);
      }
      return;
    }
    if (line.startsWith('#') || line === '') throw new Error(`${where}: comments other than HELP and TYPE, and blank lines, are not written by kubeharden`);
    const sample = parseSample(line, where);
    const type = current ? types.get(current) : undefined;
    const family = type === 'histogram' ? sample.name.replace(/_(bucket|sum|count)$/, '') : sample.name;
    if (family !== current || !type || !helps.has(family)) throw new Error(`${where}: sample outside its family's HELP and TYPE`);
    samples.push(sample);
  });
  for (const [name, type] of types) if (type === 'histogram') checkHistogram(name, samples);
  return { samples, types };
}

function parseSample(line: string, where: string): Sample {
  const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
  if (!match) throw new Error(`${where}: not NAME{LABELS} VALUE`);
  const labels: Record<string, string> = {};
  let rest = match[3] ?? '';
  while (rest !== '') {
    const label = /^([^=]+)="((?:[^"\\\n]|\\\\|\\"|\\n)*)"(,|$)/.exec(rest);
    if (!label || !LABEL_NAME.test(label[1]!)) throw new Error(`${where}: bad label at ${JSON.stringify(rest.slice(0, 40))}`);
    if (label[1]! in labels) throw new Error(`${where}: label ${label[1]} twice`);
    labels[label[1]!] = label[2]!.replace(/\\(n|\\|")/g, (_, c: string) => (c === 'n' ? '\n' : c));
    rest = rest.slice(label[0].length);
  }
  const text = match[4]!;
  const value = text === 'NaN' ? Number.NaN : text === '+Inf' ? Infinity : text === '-Inf' ? -Infinity : Number(text);
  if (!/^(NaN|[+-]Inf|-?\d+(\.\d+)?([eE][+-]?\d+)?)$/.test(text)) throw new Error(`${where}: bad value ${text}`);
  return { name: match[1]!, labels, value };
}

function checkHistogram(name: string, samples: readonly Sample[]): void {
  const groups = new Map<string, Sample[]>();
  for (const sample of samples.filter((s) => s.name === `${name}_bucket`)) {
    const { le: _, ...rest } = sample.labels;
    const key = JSON.stringify(rest);
    groups.set(key, [...(groups.get(key) ?? []), sample]);
  }
  for (const [key, buckets] of groups) {
    const bounds = buckets.map((bucket) => (bucket.labels['le'] === '+Inf' ? Infinity : Number(bucket.labels['le'])));
    if (bounds.at(-1) !== Infinity) throw new Error(`${name}${key}: the last bucket must be +Inf`);
    for (let i = 1; i < buckets.length; i++) {
      if (!(bounds[i]! > bounds[i - 1]!)) throw new Error(`${name}${key}: bucket bounds must ascend`);
      if (buckets[i]!.value < buckets[i - 1]!.value) throw new Error(`${name}${key}: bucket counts must be cumulative`);
    }
    const count = samples.find((s) => s.name === `${name}_count` && JSON.stringify(s.labels) === key);
    const sum = samples.find((s) => s.name === `${name}_sum` && JSON.stringify(s.labels) === key);
    if (!count || !sum) throw new Error(`${name}${key}: _sum and _count are required`);
    if (count.value !== buckets.at(-1)!.value) throw new Error(`${name}${key}: _count must equal the +Inf bucket`);
  }
}

/** The value of the one sample with this name and these labels (a subset), or undefined. */
export function sampleValue(samples: readonly Sample[], name: string, labels: Readonly<Record<string, string>> = {}): number | undefined {
  const matching = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (matching.length > 1) throw new Error(`${name} ${JSON.stringify(labels)}: ${matching.length} samples match`);
  return matching[0]?.value;
}
