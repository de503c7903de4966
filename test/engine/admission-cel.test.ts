/**
 * The rewriting of `celHas` chains into CEL optional selection. That the rewritten CEL judges every case as before
 * is proven on the real API servers (test/cluster/vap-oracle.test.ts at 1.37, vap-v1beta1.test.ts at 1.29); here,
 * which text is rewritten and which is left alone.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { celHas, celOptionalPresence } from '../../src/engine/admission-cel.js';

describe('celOptionalPresence', () => {
  const cases: { name: string; cel: string; optional: string }[] = [
    {
      name: 'a chain three fields deep, before a test of the field',
      cel: `${celHas('c', 'securityContext.capabilities.add')} && c.securityContext.capabilities.add.exists(a, a == 'X')`,
      optional: "c.?securityContext.?capabilities.?add.orValue(null) != null && c.securityContext.capabilities.add.exists(a, a == 'X')",
    },
    { name: 'a root that is itself a field path', cel: `!(${celHas('variables.spec', 'securityContext.seccompProfile')})`, optional: '!(variables.spec.?securityContext.?seccompProfile.orValue(null) != null)' },
    { name: 'a chain as the condition of a ternary', cel: `x || ${celHas('object', 'spec.template')} ? object.spec.template : {}`, optional: 'x || object.?spec.?template.orValue(null) != null ? object.spec.template : {}' },
    { name: 'one field deep: left as it is', cel: `${celHas('c', 'securityContext')} && has(c.securityContext.runAsUser)`, optional: 'has(c.securityContext) && c.securityContext != null && has(c.securityContext.runAsUser)' },
    { name: 'after `!`, which would negate the first link only: left as it is', cel: `!${celHas('c', 'a.b')}`, optional: '!has(c.a) && c.a != null && has(c.a.b) && c.a.b != null' },
    { name: 'two chains side by side, over different roots', cel: `${celHas('c', 'a')} && ${celHas('d', 'a.b')}`, optional: 'has(c.a) && c.a != null && d.?a.?b.orValue(null) != null' },
    { name: 'a link about another field ends the chain', cel: 'has(c.a) && c.a != null && has(c.b.x) && c.b.x != null', optional: 'has(c.a) && c.a != null && has(c.b.x) && c.b.x != null' },
  ];
  for (const c of cases) it(c.name, () => assert.equal(celOptionalPresence(c.cel), c.optional));
});
