import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { control as credentialsInConfigMap } from '../../../src/controls/secrets/credentials-in-configmap.js';
import { control as credentialsInEnv } from '../../../src/controls/secrets/credentials-in-env.js';
import { control as secretInManifest } from '../../../src/controls/secrets/secret-in-manifest.js';
import { control as secretEnvVars } from '../../../src/controls/secrets/secret-env-vars.js';
import { isSensitiveName } from '../../../src/kube/credentials.js';
import { findingsFor, testControl, testObjectControl } from '../../support/control-tester.js';
import { AWS_KEY, cases as credentialsInEnvCases, PASSWORD } from './credentials-in-env.cases.js';

const env = (...variables: object[]) => ({ containers: [{ name: 'app', image: 'x', env: variables }] });

describe('isSensitiveName', () => {
  for (const name of ['DB_PASSWORD', 'dbPassword', 'api-key', 'AWS_SECRET_ACCESS_KEY', 'GITHUB_TOKEN', 'client_secret', 'JWT']) {
    it(`${name} is sensitive`, () => assert.ok(isSensitiveName(name)));
  }
  for (const name of ['MONKEY', 'TOKENIZER_MODE', 'PASSWORD_FILE', 'TOKEN_PATH', 'SECRET_NAME', 'KEYCLOAK_URL', 'CACHE_KEY_PREFIX', 'LOG_LEVEL']) {
    it(`${name} is not`, () => assert.ok(!isSensitiveName(name)));
  }
});

testControl(credentialsInEnv, credentialsInEnvCases);

describe('SEC-NO-CREDENTIALS-IN-ENV never shows the value', () => {
  it('keeps values out of every finding', () => {
    const { findings } = findingsFor(credentialsInEnv, { name: 'x', spec: env({ name: 'DB_PASSWORD', value: PASSWORD }, { name: 'K', value: AWS_KEY }) });
    assert.equal(findings.length, 2);
    assert.ok(!JSON.stringify(findings).includes(PASSWORD) && !JSON.stringify(findings).includes(AWS_KEY));
  });
});

testControl(secretEnvVars, {
  valid: [{ name: 'plain env', spec: env({ name: 'MODE', value: 'prod' }) }],
  invalid: [
    {
      name: 'secretKeyRef and envFrom secretRef',
      spec: { containers: [{ name: 'app', image: 'x', env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'db', key: 'p' } } }], envFrom: [{ secretRef: { name: 'all' } }] }] },
      fields: ['spec.containers[0].env[0].valueFrom.secretKeyRef', 'spec.containers[0].envFrom[0].secretRef'],
    },
  ],
});

const configMap = (data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' }, data });

testObjectControl(credentialsInConfigMap, {
  valid: [
    { name: 'plain settings', object: configMap({ LOG_LEVEL: 'info', 'nginx.conf': 'server {\n  listen 80;\n}\n' }) },
    { name: 'a config file named like a secret', object: configMap({ 'secret.conf': 'a = 1\nb = 2\n' }) },
  ],
  invalid: [
    {
      name: 'password by key, token by value, key inside base64',
      object: configMap({ password: PASSWORD, settings: `token=${'ghp_'}${'a'.repeat(36)}`, blob: Buffer.from(`aws ${AWS_KEY}`).toString('base64') }),
      fields: ['data.password', 'data.settings', 'data.blob'],
      mustNotShow: [PASSWORD, AWS_KEY],
    },
  ],
});

testObjectControl(secretInManifest, {
  valid: [
    { name: 'Secret without values', object: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'kubernetes.io/service-account-token' } },
    { name: 'not a Secret', object: configMap({ a: 'b' }) },
  ],
  invalid: [
    {
      name: 'data and stringData',
      object: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { password: Buffer.from(PASSWORD).toString('base64') }, stringData: { token: PASSWORD } },
      fields: ['data', 'stringData'],
      mustNotShow: [PASSWORD, Buffer.from(PASSWORD).toString('base64')],
    },
  ],
});
