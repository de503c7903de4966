/** Reads Kubescape regolibrary rule test cases from ../shared (layout in its INDEX.md). */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sharedPath } from './paths.js';

export interface KubescapeCase {
  readonly rule: string;
  readonly name: string;
  /** Input objects' texts, one file each, in file-name order. */
  readonly inputs: readonly string[];
  /** `Kind/name` of every object the case expects to fail. */
  readonly expectedFailing: ReadonlySet<string>;
  readonly hasData: boolean;
}

export const KUBESCAPE_DIR = sharedPath('conformance', 'kubescape-regolibrary');

export function kubescapeCases(ruleFolder: string): KubescapeCase[] {
  const testDir = join(KUBESCAPE_DIR, 'rules', ruleFolder, 'test');
  if (!existsSync(testDir)) return [];
  return readdirSync(testDir)
    .sort()
    .flatMap((name): KubescapeCase[] => {
      const caseDir = join(testDir, name);
      const inputDir = join(caseDir, 'input');
      if (!statSync(caseDir).isDirectory() || !existsSync(inputDir)) return []; // upstream runs these on no input
      const inputs = readdirSync(inputDir).sort().map((file) => readFileSync(join(inputDir, file), 'utf8'));
      const expected = JSON.parse(readFileSync(join(caseDir, 'expected.json'), 'utf8')) as unknown;
      const alerts = Array.isArray(expected) ? expected : [expected];
      const expectedFailing = new Set<string>();
      for (const alert of alerts as { alertObject?: { k8sApiObjects?: { kind: string; metadata?: { name?: string } }[] } }[]) {
        for (const object of alert.alertObject?.k8sApiObjects ?? []) expectedFailing.add(`${object.kind}/${object.metadata?.name ?? ''}`);
      }
      return [{ rule: ruleFolder, name, inputs, expectedFailing, hasData: existsSync(join(caseDir, 'data.json')) }];
    });
}
