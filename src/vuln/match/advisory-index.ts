/**
 * OSV records indexed by (base ecosystem, package name as the ecosystem compares names), so matching a package
 * looks at the few records that name it, whatever the size of the database.
 */
import type { OsvAffected, OsvRecord } from '../osv/record.js';
import { ecosystemBase } from '../versions/ecosystem.js';
import { normalizeName } from './ecosystems.js';

export interface IndexedAffected {
  readonly record: OsvRecord;
  readonly affected: OsvAffected;
}

const key = (ecosystem: string, name: string): string => `${ecosystemBase(ecosystem)}\u0000${normalizeName(ecosystem, name)}`;

export class AdvisoryIndex {
  private readonly byPackage = new Map<string, IndexedAffected[]>();
  private count = 0;

  constructor(records: Iterable<OsvRecord> = []) {
    for (const record of records) this.add(record);
  }

  /** Adds a record under every package it names (withdrawn records are never added). */
  add(record: OsvRecord): void {
    if (record.withdrawn !== undefined) return;
    this.count++;
    for (const affected of record.affected ?? []) {
      if (!affected.package) continue;
      const entryKey = key(affected.package.ecosystem, affected.package.name);
      const list = this.byPackage.get(entryKey);
      if (list) list.push({ record, affected });
      else this.byPackage.set(entryKey, [{ record, affected }]);
    }
  }

  /** The `affected[]` entries naming this package in this ecosystem (any release of it). */
  lookup(ecosystem: string, name: string): readonly IndexedAffected[] {
    return this.byPackage.get(key(ecosystem, name)) ?? [];
  }

  get size(): number {
    return this.count;
  }
}
