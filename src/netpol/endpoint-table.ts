/**
 * The endpoints of a network model as a table rather than an object each: a List of 200,000 Pods has 200,000
 * endpoints but only as many distinct (namespace, labels, container ports, host network) groups as it has label sets,
 * and reachability depends on nothing else of a pod but its IPs (for ipBlock peers, asked per endpoint). Each group
 * is kept once with its members' indexes; what differs per endpoint (name, kind, origin, IPs) is read from the
 * builder's packed columns when asked, and an `Endpoint` object is made only for whoever asks for one.
 */
import type { IpFamily } from './ip.js';
import type { NamedPort } from './policy.js';

/** Where an endpoint or policy came from, for messages and findings. */
export interface Origin {
  readonly file: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
}

export type EndpointIps = readonly { readonly family: IpFamily; readonly value: bigint }[];

/** One endpoint of traffic: a pod, the pods of one workload, or a workload's pod template. */
export interface Endpoint {
  readonly namespace: string;
  /** The workload's name (the pod's own name for a bare pod). */
  readonly name: string;
  /** Deployment, StatefulSet, ReplicaSet, DaemonSet, Job, CronJob, ReplicationController, Pod... */
  readonly kind: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Container ports, for named ports in policies. */
  readonly ports: readonly NamedPort[];
  readonly hostNetwork: boolean;
  /** Pod IPs when the input has them (live pods); ipBlock peers may match them. */
  readonly ips: EndpointIps;
  readonly origin: Origin | undefined;
}

/** What every endpoint of a group shares: all that policy selection and named ports look at. */
export interface GroupShape {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly NamedPort[];
  readonly hostNetwork: boolean;
}

export interface EndpointGroup extends GroupShape {
  /** Indexes of the group's endpoints, ascending. */
  readonly members: Uint32Array;
}

/** What differs between the endpoints of a group, read by endpoint index. */
export interface EndpointRows {
  name(index: number): string;
  kind(index: number): string;
  origin(index: number): Origin | undefined;
  ips(index: number): EndpointIps;
}

export class EndpointTable implements Iterable<Endpoint> {
  readonly groups: readonly EndpointGroup[];

  constructor(
    shapes: readonly GroupShape[],
    /** groupIds[index]: the group of endpoint `index` (an index into `shapes`). */
    private readonly groupIds: Uint32Array,
    private readonly rows: EndpointRows,
  ) {
    // Members by counting: one pass for the sizes, one to place each index (ascending, as the indexes are visited).
    const sizes = new Uint32Array(shapes.length);
    for (const group of groupIds) sizes[group] = (sizes[group] as number) + 1;
    const members = Array.from(sizes, (size) => new Uint32Array(size));
    const filled = new Uint32Array(shapes.length);
    groupIds.forEach((group, index) => {
      (members[group] as Uint32Array)[filled[group] as number] = index;
      filled[group] = (filled[group] as number) + 1;
    });
    this.groups = shapes.map((shape, group) => ({ ...shape, members: members[group] as Uint32Array }));
  }

  get length(): number {
    return this.groupIds.length;
  }

  /** The group of an endpoint: endpoints of one group are selected and answered alike. */
  groupOf(index: number): number {
    return this.groupIds[index] as number;
  }

  namespaceOf(index: number): string {
    return (this.groups[this.groupOf(index)] as EndpointGroup).namespace;
  }

  portsOf(index: number): readonly NamedPort[] {
    return (this.groups[this.groupOf(index)] as EndpointGroup).ports;
  }

  ipsOf(index: number): EndpointIps {
    return this.rows.ips(index);
  }

  /** The endpoint as an object of its own (made for each call). */
  at(index: number): Endpoint | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) return undefined;
    const { namespace, labels, ports, hostNetwork } = this.groups[this.groupOf(index)] as EndpointGroup;
    return { namespace, name: this.rows.name(index), kind: this.rows.kind(index), labels, ports, hostNetwork, ips: this.rows.ips(index), origin: this.rows.origin(index) };
  }

  *[Symbol.iterator](): Iterator<Endpoint> {
    for (let index = 0; index < this.length; index++) yield this.at(index) as Endpoint;
  }

  /** Index and endpoint, as an array's `entries()` gives them. */
  *entries(): Generator<[number, Endpoint]> {
    for (let index = 0; index < this.length; index++) yield [index, this.at(index) as Endpoint];
  }

  forEach(visit: (endpoint: Endpoint, index: number) => void): void {
    for (let index = 0; index < this.length; index++) visit(this.at(index) as Endpoint, index);
  }

  map<T>(convert: (endpoint: Endpoint, index: number) => T): T[] {
    const out: T[] = [];
    this.forEach((endpoint, index) => out.push(convert(endpoint, index)));
    return out;
  }

  filter(keep: (endpoint: Endpoint, index: number) => unknown): Endpoint[] {
    const out: Endpoint[] = [];
    this.forEach((endpoint, index) => {
      if (keep(endpoint, index)) out.push(endpoint);
    });
    return out;
  }

  findIndex(test: (endpoint: Endpoint, index: number) => unknown): number {
    for (let index = 0; index < this.length; index++) if (test(this.at(index) as Endpoint, index)) return index;
    return -1;
  }

  find(test: (endpoint: Endpoint, index: number) => unknown): Endpoint | undefined {
    const index = this.findIndex(test);
    return index < 0 ? undefined : this.at(index);
  }
}
