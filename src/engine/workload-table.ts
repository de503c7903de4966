/**
 * The workloads (pod templates) the inventory keeps for the cross-resource controls, as columns rather than an
 * object each: positions as numbers in typed arrays that grow by doubling, names as packed UTF-8 bytes, and what
 * many workloads repeat (where a resource is, field names, label sets, ServiceAccount names) once, named by an id.
 * A workload costs about 100 bytes instead of 250; its subjects and reference are built when a control asks.
 */
import type { ResourceRef, Subject } from '../vocabulary/finding.js';
import { grown, PackedStrings } from '../util/string-ids.js';

/** Where a resource is, shared by every subject on it. */
export interface ResourcePlace {
  readonly resource: ResourceRef;
  readonly file: string;
  readonly templateSource?: string;
  readonly renderedFrom?: string;
}

/** A field's position and name. */
export interface FieldPlace {
  readonly line: number;
  readonly column: number;
  readonly field: string;
  /** Only when the field is written in another file than the resource (a Kustomize patch). */
  readonly file?: string;
}

export function subjectAt(place: ResourcePlace, at: FieldPlace): Subject {
  const { templateSource, renderedFrom } = place;
  return {
    resource: place.resource,
    location: { file: at.file ?? place.file, line: at.line, column: at.column, ...(templateSource ? { templateSource } : {}), ...(renderedFrom ? { renderedFrom } : {}) },
    field: at.field,
  };
}

/** What a control reads of a workload. */
export interface WorkloadEntry {
  readonly subject: Subject;
  readonly labels: Readonly<Record<string, string>>;
  readonly serviceAccount: string;
  /** Where the pod names its ServiceAccount; undefined when it runs as `default`. */
  readonly serviceAccountSubject: Subject | undefined;
  /** The pod's automountServiceAccountToken, and where it is (or would be) set. */
  readonly automount: unknown;
  readonly automountSubject: Subject;
}

/** One workload as a table adds it. */
export interface WorkloadRecord {
  readonly place: ResourcePlace;
  readonly labelsAt: FieldPlace;
  readonly automountAt: FieldPlace;
  /** Only for pods that name a ServiceAccount other than `default`. */
  readonly serviceAccountAt: FieldPlace | undefined;
  /** Shared between equal label sets by the caller. */
  readonly labels: Readonly<Record<string, string>>;
  readonly serviceAccount: string;
  readonly automount: unknown;
}

/** automountServiceAccountToken in a byte; any other value (a string, a number) is kept aside, as given. */
const AUTOMOUNT_UNSET = 0;
const AUTOMOUNT_TRUE = 1;
const AUTOMOUNT_FALSE = 2;
const AUTOMOUNT_OTHER = 3;
const NAME_NULL = 4;
const NO_FIELD = 0xffffffff;

/** Values many rows repeat, each kept once and named by its index. */
class Repeated<T> {
  private readonly ids = new Map<string, number>();
  readonly values: T[] = [];

  id(key: string, make: () => T): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.values.push(make()) - 1;
      this.ids.set(key, id);
    }
    return id;
  }
}

export class WorkloadTable {
  private rows = 0;
  private readonly places = new Repeated<ResourcePlace>();
  private readonly fields = new Repeated<{ readonly field: string; readonly file?: string }>();
  private readonly names = new PackedStrings();
  /** Label sets and ServiceAccount names: the caller shares equal ones, so a slot holds a reference. */
  private readonly labelSets: Readonly<Record<string, string>>[] = [];
  private readonly serviceAccounts: string[] = [];
  private readonly otherAutomount = new Map<number, unknown>();
  private place = new Uint32Array(0);
  private flags = new Uint8Array(0);
  /** Per row, three positions (labels, automount, serviceAccount): line, column and field id each. */
  private positions = new Uint32Array(0);

  get size(): number {
    return this.rows;
  }

  add(record: WorkloadRecord): number {
    const row = this.rows++;
    if (row === this.place.length) {
      this.place = grown(this.place);
      this.flags = grown(this.flags, this.place.length);
      this.positions = grown(this.positions, this.place.length * 9);
    }
    const { place } = record;
    const { resource } = place;
    const placeKey = JSON.stringify([resource.apiVersion, resource.kind, resource.namespace, place.file, place.templateSource ?? null, place.renderedFrom ?? null]);
    this.place[row] = this.places.id(placeKey, () => ({ ...place, resource: { ...resource, name: null } }));
    this.names.add(resource.name ?? '');
    const automount = record.automount === undefined ? AUTOMOUNT_UNSET : record.automount === true ? AUTOMOUNT_TRUE : record.automount === false ? AUTOMOUNT_FALSE : AUTOMOUNT_OTHER;
    if (automount === AUTOMOUNT_OTHER) this.otherAutomount.set(row, record.automount);
    this.flags[row] = automount | (resource.name === null ? NAME_NULL : 0);
    this.setPosition(row, 0, record.labelsAt);
    this.setPosition(row, 1, record.automountAt);
    this.setPosition(row, 2, record.serviceAccountAt);
    this.labelSets.push(record.labels);
    this.serviceAccounts.push(record.serviceAccount);
    return row;
  }

  /** A view of one row: what a control reads, made when asked. */
  entry(row: number): WorkloadEntry {
    return new WorkloadView(this, row);
  }

  /** The row's resource: apiVersion, kind, namespace and name. */
  resourcePlace(row: number): ResourcePlace {
    const place = this.places.values[this.place[row] as number] as ResourcePlace;
    const name = ((this.flags[row] as number) & NAME_NULL) === 0 ? this.names.text(row) : null;
    return { ...place, resource: { ...place.resource, name } };
  }

  labels(row: number): Readonly<Record<string, string>> {
    return this.labelSets[row] as Readonly<Record<string, string>>;
  }

  serviceAccount(row: number): string {
    return this.serviceAccounts[row] as string;
  }

  automount(row: number): unknown {
    const code = (this.flags[row] as number) & 3;
    return code === AUTOMOUNT_TRUE ? true : code === AUTOMOUNT_FALSE ? false : code === AUTOMOUNT_OTHER ? this.otherAutomount.get(row) : undefined;
  }

  /** The subject at one of the row's positions (0 labels, 1 automount, 2 serviceAccount), undefined when unset. */
  subject(row: number, which: 0 | 1 | 2): Subject | undefined {
    const at = (row * 3 + which) * 3;
    const fieldId = this.positions[at + 2] as number;
    if (fieldId === NO_FIELD) return undefined;
    const field = this.fields.values[fieldId] as { readonly field: string; readonly file?: string };
    return subjectAt(this.resourcePlace(row), { line: this.positions[at] as number, column: this.positions[at + 1] as number, ...field });
  }

  private setPosition(row: number, which: number, place: FieldPlace | undefined): void {
    const at = (row * 3 + which) * 3;
    if (place === undefined) {
      this.positions[at + 2] = NO_FIELD;
      return;
    }
    this.positions[at] = place.line;
    this.positions[at + 1] = place.column;
    const { field, file } = place;
    this.positions[at + 2] = this.fields.id(file === undefined ? field : `${field}\u0000${file}`, () => (file === undefined ? { field } : { field, file }));
  }
}

/** One workload of a table, read through its row: subjects are made anew on each read, never kept. */
class WorkloadView implements WorkloadEntry {
  constructor(
    private readonly table: WorkloadTable,
    private readonly row: number,
  ) {}

  get subject(): Subject {
    return this.table.subject(this.row, 0) as Subject;
  }

  get automountSubject(): Subject {
    return this.table.subject(this.row, 1) as Subject;
  }

  get serviceAccountSubject(): Subject | undefined {
    return this.table.subject(this.row, 2);
  }

  get labels(): Readonly<Record<string, string>> {
    return this.table.labels(this.row);
  }

  get serviceAccount(): string {
    return this.table.serviceAccount(this.row);
  }

  get automount(): unknown {
    return this.table.automount(this.row);
  }
}

/** The workloads of one namespace: rows of the inventory's table, in the order added. */
export class WorkloadList implements Iterable<WorkloadEntry> {
  private rows = new Uint32Array(0);
  private count = 0;

  constructor(private readonly table: WorkloadTable) {}

  get length(): number {
    return this.count;
  }

  push(row: number): void {
    if (this.count === this.rows.length) this.rows = grown(this.rows);
    this.rows[this.count++] = row;
  }

  /** The workload at `index` (negative counts from the end, as Array.at), or undefined. */
  at(index: number): WorkloadEntry | undefined {
    const position = index < 0 ? this.count + index : index;
    return position >= 0 && position < this.count ? this.table.entry(this.rows[position] as number) : undefined;
  }

  /** The table rows, for callers that read columns directly. */
  rowAt(index: number): number {
    return this.rows[index] as number;
  }

  *[Symbol.iterator](): Iterator<WorkloadEntry> {
    for (let index = 0; index < this.count; index++) yield this.table.entry(this.rows[index] as number);
  }
}
