/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY read as kubectl reads them (Go's golang.org/x/net/http/httpproxy). The
 * expected answers are Go's, case by case; the real API server through a CONNECT proxy is in api-access.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseProxyUrl, proxyFor, useProxy } from '../../src/cluster/proxy.js';

describe('NO_PROXY as Go reads it', () => {
  const cases: [noProxy: string, host: string, port: string, proxied: boolean][] = [
    ['', 'api.example.com', '443', true],
    ['', 'localhost', '443', false],
    ['', '127.0.0.1', '6443', false],
    ['', '::1', '6443', false],
    ['*', 'api.example.com', '443', false],
    ['example.com', 'example.com', '443', false],
    ['example.com', 'api.example.com', '443', false],
    ['example.com', 'notexample.com', '443', true],
    ['.example.com', 'example.com', '443', true],
    ['.example.com', 'api.example.com', '443', false],
    ['*.example.com', 'api.example.com', '443', false],
    ['*.example.com', 'example.com', '443', true],
    ['EXAMPLE.com', 'Api.Example.COM', '443', false],
    ['example.com:6443', 'api.example.com', '6443', false],
    ['example.com:6443', 'api.example.com', '443', true],
    ['10.0.0.1', '10.0.0.1', '443', false],
    ['10.0.0.1', '10.0.0.2', '443', true],
    ['10.0.0.1:6443', '10.0.0.1', '443', true],
    ['10.0.0.1:6443', '10.0.0.1', '6443', false],
    ['10.0.0.0/8', '10.200.3.4', '443', false],
    ['10.0.0.0/8', '11.0.0.1', '443', true],
    ['10.0.0.0/8', 'ten.example', '443', true],
    ['fd00::/8', 'fd12::1', '443', false],
    ['fd00::/8', 'fe80::1', '443', true],
    ['[2001:db8::1]:443', '2001:db8::1', '443', false],
    ['2001:db8::1', '2001:db8:0:0::1', '443', false],
    [' foo.com , , bar.com ', 'x.bar.com', '443', false],
    ['foo.com', 'bar.com', '443', true],
    [':443', 'bar.com', '443', true],
  ];
  for (const [noProxy, host, port, proxied] of cases) {
    it(`NO_PROXY=${JSON.stringify(noProxy)}: ${host}:${port} ${proxied ? 'goes through the proxy' : 'is direct'}`, () => {
      assert.equal(useProxy(host, port, noProxy), proxied);
    });
  }
});

describe('which variable applies', () => {
  it('HTTPS_PROXY for https servers, HTTP_PROXY for http; upper case before lower case; default ports for NO_PROXY', () => {
    const env = { HTTPS_PROXY: 'http://upper:3128', https_proxy: 'http://lower:3128', http_proxy: 'plain:8080', NO_PROXY: 'skip.example:443' };
    assert.equal(proxyFor(new URL('https://api.example:6443'), env)?.host, 'upper:3128');
    assert.equal(proxyFor(new URL('https://api.example:6443'), { https_proxy: 'http://lower:3128' })?.host, 'lower:3128');
    assert.equal(proxyFor(new URL('http://api.example'), env)?.href, 'http://plain:8080/');
    assert.equal(proxyFor(new URL('https://skip.example'), env), undefined, 'port 443 is implied');
    assert.equal(proxyFor(new URL('https://skip.example:6443'), env)?.host, 'upper:3128');
    assert.equal(proxyFor(new URL('https://api.example'), { no_proxy: '*', HTTPS_PROXY: 'http://p:1' }), undefined);
    assert.equal(proxyFor(new URL('https://api.example'), {}), undefined);
  });

  it('a proxy without a scheme is http://', () => {
    assert.equal(parseProxyUrl('proxy.corp:3128')?.href, 'http://proxy.corp:3128/');
    assert.equal(parseProxyUrl('https://user:pw@proxy.corp')?.username, 'user');
  });
});
