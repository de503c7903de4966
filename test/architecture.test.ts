/**
 * The layers of src/ read top-down: a folder imports only from its own layer or the layers below it, no module
 * imports itself back through others, and src/vocabulary/ (the words every layer speaks: FieldPath, Severity,
 * ResourceRef, Finding) imports nothing of ours. The imports are read from the TypeScript sources with the
 * compiler's own pre-processor, so `import type`, `export … from` and `import('…')` type expressions all count.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { PROJECT_ROOT } from './support/paths.js';

/** Top to bottom. A folder of src/ (or a file directly in it) may import from its own row and the rows below. */
const LAYERS: readonly (readonly string[])[] = [
  ['cli'],
  ['cluster', 'config', 'fix', 'enforce', 'vuln', 'serve'],
  ['report'],
  ['scan'],
  ['controls', 'audit'],
  ['engine'],
  ['netpol', 'rbac', 'exceptions', 'components', 'render'],
  ['kube', 'loader'],
  ['util', 'version.ts'],
  ['vocabulary'],
];

/** Imports against the layer order that are known and left for later, each with why (importer → imported). */
const KNOWN_UPWARD: readonly (readonly [string, string])[] = [
  // `kubeharden audit` builds the report model (a type-only import of ReportInput).
  ['audit/report/report-input.ts', 'report/report.ts'],
  // The terminal sanitiser lives in report/ but netpol's renderers and the column aligner need it; it reads
  // report/color.ts and loader/source.ts, so moving it down means splitting it first.
  ['netpol/diff-render.ts', 'report/terminal-text.ts'],
  ['netpol/explain.ts', 'report/terminal-text.ts'],
  ['netpol/generate.ts', 'report/terminal-text.ts'],
  ['netpol/render.ts', 'report/terminal-text.ts'],
  ['util/columns.ts', 'report/terminal-text.ts'],
];

/** Import cycles that are known and left for later: each stays inside one folder. */
const KNOWN_CYCLES: readonly (readonly string[])[] = [
  // The report model holds a FindingList, whose rows are the model's ReportFinding (a type-only import).
  ['report/finding-list.ts', 'report/report.ts'],
];

type Graph = ReadonlyMap<string, readonly string[]>;

/** The modules a source file (a path relative to src/) imports, relative to src/; package imports left out. */
function importsOf(text: string, file: string): string[] {
  const found = ts.preProcessFile(text, true, true).importedFiles.map((entry) => entry.fileName);
  const local = found.filter((name) => name.startsWith('.')).map((name) => posix.join(posix.dirname(file), name).replace(/\.js$/, '.ts'));
  return [...new Set(local)];
}

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function sourceGraph(): Graph {
  const src = join(PROJECT_ROOT, 'src');
  const graph = new Map<string, string[]>();
  for (const path of sourceFiles(src)) {
    const file = relative(src, path).split(sep).join('/');
    graph.set(file, importsOf(readFileSync(path, 'utf8'), file));
  }
  return graph;
}

/** Strongly connected components with more than one module (or a module importing itself), each sorted. */
function cycles(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next++;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) low.set(node, Math.min(low.get(node)!, index.get(target)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || graph.get(node)!.includes(node)) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** The top-level folder of a module (`engine/scan.ts` → `engine`), or the file itself when it sits in src/. */
function area(file: string): string {
  return file.split('/')[0]!;
}

function layerOf(file: string): number {
  return LAYERS.findIndex((row) => row.includes(area(file)));
}

function upwardImports(graph: Graph): [string, string][] {
  const upward: [string, string][] = [];
  for (const [file, targets] of graph) {
    for (const target of targets) if (layerOf(target) < layerOf(file)) upward.push([file, target]);
  }
  return upward.sort((a, b) => `${a[0]} ${a[1]}`.localeCompare(`${b[0]} ${b[1]}`));
}

describe('architecture: the import graph of src/', () => {
  describe('the checks themselves', () => {
    it('reads every kind of import, and nothing in comments or strings', () => {
      const text = [
        "import type { A } from './a.js';",
        "import { b, type B } from '../up/b.js';",
        "export { c } from './c.js';",
        "export * from './d.js';",
        "let e: import('./e.js').E;",
        "const f = await import('./f.js');",
        "import 'node:fs';",
        "import yaml from 'js-yaml';",
        "// import { g } from './g.js';",
        "const h = \"import { h } from './h.js'\";",
      ].join('\n');
      assert.deepEqual(importsOf(text, 'engine/scan.ts').sort(), ['engine/a.ts', 'engine/c.ts', 'engine/d.ts', 'engine/e.ts', 'engine/f.ts', 'up/b.ts']);
    });

    const cases: { name: string; graph: Record<string, string[]>; cycles: string[][] }[] = [
      { name: 'a chain', graph: { a: ['b'], b: ['c'], c: [] }, cycles: [] },
      { name: 'a diamond', graph: { a: ['b', 'c'], b: ['d'], c: ['d'], d: [] }, cycles: [] },
      { name: 'a pair', graph: { a: ['b'], b: ['a'] }, cycles: [['a', 'b']] },
      { name: 'a long circle beside a tail', graph: { a: ['b'], b: ['c'], c: ['a', 'd'], d: [] }, cycles: [['a', 'b', 'c']] },
      { name: 'a module importing itself', graph: { a: ['a'] }, cycles: [['a']] },
      { name: 'two separate circles', graph: { a: ['b'], b: ['a'], c: ['d'], d: ['c', 'a'] }, cycles: [['a', 'b'], ['c', 'd']] },
    ];
    for (const testCase of cases) {
      it(`finds the cycles of ${testCase.name}`, () => {
        assert.deepEqual(cycles(new Map(Object.entries(testCase.graph))), testCase.cycles);
      });
    }

    it('finds an import from a lower layer to a higher one', () => {
      const graph = new Map([['kube/x.ts', ['engine/types.ts', 'vocabulary/finding.ts']], ['engine/types.ts', ['kube/x.ts']]]);
      assert.deepEqual(upwardImports(graph), [['kube/x.ts', 'engine/types.ts']]);
    });
  });

  const graph = sourceGraph();

  it('every folder of src/ has a place in the layers', () => {
    const unplaced = [...new Set([...graph.keys()].map(area))].filter((name) => !LAYERS.some((row) => row.includes(name)));
    assert.deepEqual(unplaced, [], 'add each new folder of src/ to LAYERS in test/architecture.test.ts');
  });

  it('no module imports itself back through others (beyond the known, folder-local ones)', () => {
    assert.deepEqual(cycles(graph), KNOWN_CYCLES);
  });

  it('src/vocabulary/ exists and imports nothing but itself', () => {
    const vocabulary = [...graph.keys()].filter((file) => area(file) === 'vocabulary');
    for (const module of ['vocabulary/finding.ts', 'vocabulary/field-path.ts', 'vocabulary/severity.ts']) assert.ok(vocabulary.includes(module), module);
    for (const file of vocabulary) {
      const path = join(PROJECT_ROOT, 'src', file);
      const all = ts.preProcessFile(readFileSync(path, 'utf8'), true, true).importedFiles.map((entry) => entry.fileName);
      const outside = all.filter((name) => !name.startsWith('./') || area(posix.join(posix.dirname(file), name)) !== 'vocabulary');
      assert.deepEqual(outside, [], `${file} imports only from src/vocabulary/`);
    }
  });

  it('no folder imports from a layer above its own (beyond the known ones)', () => {
    assert.deepEqual(upwardImports(graph), [...KNOWN_UPWARD].sort((a, b) => `${a[0]} ${a[1]}`.localeCompare(`${b[0]} ${b[1]}`)));
  });
});
