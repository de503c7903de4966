/**
 * Which endpoints the network model holds when the input mixes pods and workloads: every pod (grouped by its
 * controller), and the template of each workload none of whose pods is in the input. A bare pod among manifests
 * must not hide the Deployments beside it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { endpointName, NetworkModelBuilder } from '../../src/netpol/model.js';

type Json = Record<string, unknown>;

const template = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'x' }] } };
const owner = (kind: string, name: string) => ({ ownerReferences: [{ apiVersion: 'apps/v1', kind, name, uid: 'u', controller: true }] });
const deployment = (name: string): Json => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'shop' }, spec: { template } });
const replicaSet = (name: string, deploymentName: string): Json => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, namespace: 'shop', ...owner('Deployment', deploymentName) }, spec: { template } });
const cronJob = (name: string): Json => ({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name, namespace: 'shop' }, spec: { schedule: '@daily', jobTemplate: { spec: { template } } } });
const job = (name: string, cronJobName: string): Json => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'shop', ...owner('CronJob', cronJobName) }, spec: { template } });
const pod = (name: string, metadata: Json = {}, namespace = 'shop'): Json => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, ...metadata }, spec: template.spec });

interface Case {
  readonly name: string;
  readonly objects: readonly Json[];
  /** Endpoints as `namespace/name[Kind]`, sorted as the model sorts them. */
  readonly endpoints: readonly string[];
}

const CASES: readonly Case[] = [
  { name: 'workloads only: their templates', objects: [deployment('web'), cronJob('nightly')], endpoints: ['shop/nightly[CronJob]', 'shop/web[Deployment]'] },
  { name: 'a bare pod beside workloads: all of them', objects: [deployment('web'), cronJob('nightly'), pod('debug', {}, 'default')], endpoints: ['default/debug[Pod]', 'shop/nightly[CronJob]', 'shop/web[Deployment]'] },
  {
    name: 'pods of a ReplicaSet in the input stand for it and its Deployment',
    objects: [deployment('web'), replicaSet('web-5d4f', 'web'), pod('web-5d4f-a', owner('ReplicaSet', 'web-5d4f')), pod('web-5d4f-b', owner('ReplicaSet', 'web-5d4f'))],
    endpoints: ['shop/web-5d4f[ReplicaSet]'],
  },
  {
    name: "a Deployment's pods without their ReplicaSet, traced by pod-template-hash",
    objects: [deployment('web'), pod('web-5d4f-a', { labels: { 'pod-template-hash': '5d4f' }, ...owner('ReplicaSet', 'web-5d4f') })],
    endpoints: ['shop/web-5d4f[ReplicaSet]'],
  },
  {
    name: 'a ReplicaSet that belongs to another Deployment leaves this one counted',
    objects: [deployment('web'), pod('api-5d4f-a', { labels: { 'pod-template-hash': '5d4f' }, ...owner('ReplicaSet', 'api-5d4f') })],
    endpoints: ['shop/api-5d4f[ReplicaSet]', 'shop/web[Deployment]'],
  },
  {
    name: 'pods of a Job stand for it and its CronJob',
    objects: [cronJob('nightly'), job('nightly-290', 'nightly'), pod('nightly-290-x', owner('Job', 'nightly-290'))],
    endpoints: ['shop/nightly-290[Job]'],
  },
  {
    name: "a Deployment's old ReplicaSet without pods is a past revision, not an endpoint",
    objects: [deployment('web'), replicaSet('web-5d4f', 'web'), replicaSet('web-0ld1', 'web'), pod('web-5d4f-a', owner('ReplicaSet', 'web-5d4f'))],
    endpoints: ['shop/web-5d4f[ReplicaSet]'],
  },
  {
    name: 'a CronJob with only finished Jobs: its template',
    objects: [cronJob('nightly'), job('nightly-289', 'nightly'), job('nightly-290', 'nightly')],
    endpoints: ['shop/nightly[CronJob]'],
  },
  {
    name: 'a ReplicaSet whose Deployment is not in the input stands for itself',
    objects: [replicaSet('web-5d4f', 'web')],
    endpoints: ['shop/web-5d4f[ReplicaSet]'],
  },
  {
    name: 'a static pod (owned by its Node) stands for itself beside the workloads',
    objects: [deployment('web'), pod('kube-apiserver-n1', owner('Node', 'n1'), 'kube-system')],
    endpoints: ['kube-system/kube-apiserver-n1[Pod]', 'shop/web[Deployment]'],
  },
];

describe('network model: pods and workload templates together', () => {
  for (const { name, objects, endpoints } of CASES) {
    it(name, () => {
      // Order must not matter: pods before their owners, and after.
      for (const ordered of [objects, [...objects].reverse()]) {
        const builder = new NetworkModelBuilder();
        for (const object of ordered) builder.add(object, 'input.yaml');
        assert.deepEqual(builder.build().endpoints.map((endpoint) => endpointName(endpoint, true)), endpoints);
      }
    });
  }
});
