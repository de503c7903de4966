import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { control } from '../../../src/controls/kubelet/streaming-timeout.js';
import { durationSeconds } from '../../../src/controls/kubelet/setting.js';
import { testComponentControl } from '../../support/component-tester.js';

testComponentControl(control, {
  valid: [
    { name: 'config file: not set (defaults to 4h)', config: {} },
    { name: 'config file: 5m', config: { streamingConnectionIdleTimeout: '5m0s' } },
    { name: 'config file: 0s is defaulted to 4h when the file is decoded', config: { streamingConnectionIdleTimeout: '0s' } },
    { name: 'flags only: not set (defaults to 4h)', flags: [] },
    { name: 'flags only: 1h', flags: ['--streaming-connection-idle-timeout=1h'] },
    { name: 'the flag beats the config file', flags: ['--streaming-connection-idle-timeout=30m'], config: { streamingConnectionIdleTimeout: '0s' } },
  ],
  invalid: [
    { name: 'flags only: 0', flags: ['--streaming-connection-idle-timeout=0'], messages: [/^--streaming-connection-idle-timeout=0: idle streaming connections never time out/] },
    { name: 'flags only: 0s', flags: ['--streaming-connection-idle-timeout', '0s'], messages: [/^--streaming-connection-idle-timeout=0s:/] },
    { name: 'the flag beats the config file', flags: ['--streaming-connection-idle-timeout=0m0s'], config: { streamingConnectionIdleTimeout: '4h0m0s' }, messages: [/^--streaming-connection-idle-timeout=0m0s:/] },
  ],
});

describe('Go durations', () => {
  it('parses what time.ParseDuration accepts', () => {
    assert.equal(durationSeconds('0'), 0);
    assert.equal(durationSeconds('0s'), 0);
    assert.equal(durationSeconds('0h0m0s'), 0);
    assert.equal(durationSeconds('0.0s'), 0);
    assert.equal(durationSeconds('4h0m0s'), 14400);
    assert.equal(durationSeconds('1.5h'), 5400);
    assert.equal(durationSeconds('300ms'), 0.3);
    assert.equal(durationSeconds('-5m'), -300);
    assert.equal(durationSeconds(0), 0);
  });
  it('rejects what it does not', () => {
    assert.equal(durationSeconds('5'), undefined);
    assert.equal(durationSeconds('h'), undefined);
    assert.equal(durationSeconds(''), undefined);
    assert.equal(durationSeconds(true), undefined);
  });
});
