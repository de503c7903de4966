/**
 * A SOCKS5 tunnel (RFC 1928, with RFC 1929 user/password), for a kubeconfig `proxy-url: socks5://...` such as an
 * `ssh -D` tunnel, as kubectl supports it. The host name is sent to the proxy to resolve, as Go's dialer does.
 */
import { connect, isIP, type Socket } from 'node:net';
import { hostOf, ipToBigInt } from './proxy.js';
import { ConnectionError } from './connection-error.js';

const REPLIES = ['succeeded', 'general failure', 'not allowed by ruleset', 'network unreachable', 'host unreachable', 'connection refused', 'TTL expired', 'command not supported', 'address type not supported'];

/** Resolves with the socket once the proxy has connected it; `open` gets it at once, for the caller's deadline. */
export function openSocksTunnel(proxy: URL, host: string, port: number, open: { destroy(error?: Error): void }[]): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(proxy.port || 1080), hostOf(proxy));
    open.push(socket);
    let buffered = Buffer.alloc(0);
    let step: 'greeting' | 'auth' | 'connect' = 'greeting';
    const fail = (message: string) => {
      socket.destroy();
      reject(new ConnectionError(`SOCKS proxy ${proxy.host}: ${message}`));
    };
    const username = decodeURIComponent(proxy.username);
    const password = decodeURIComponent(proxy.password);
    socket.on('connect', () => socket.write(Buffer.from(username ? [5, 2, 0, 2] : [5, 1, 0])));
    socket.on('error', (error) => fail(error.message));
    const sendConnect = () => {
      step = 'connect';
      const family = isIP(host);
      const address =
        family === 4 ? Buffer.from([1, ...host.split('.').map(Number)]) : family === 6 ? Buffer.concat([Buffer.from([4]), Buffer.from(ipToBigInt(host).toString(16).padStart(32, '0'), 'hex')]) : Buffer.concat([Buffer.from([3, Buffer.byteLength(host)]), Buffer.from(host)]);
      socket.write(Buffer.concat([Buffer.from([5, 1, 0]), address, Buffer.from([port >> 8, port & 0xff])]));
    };
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (step === 'greeting') {
        if (buffered.length < 2) return;
        const method = buffered[1];
        buffered = buffered.subarray(2);
        if (method === 0) return sendConnect();
        if (method === 2 && username) {
          step = 'auth';
          const user = Buffer.from(username);
          const pass = Buffer.from(password);
          socket.write(Buffer.concat([Buffer.from([1, user.length]), user, Buffer.from([pass.length]), pass]));
          return;
        }
        return fail('no acceptable authentication method');
      }
      if (step === 'auth') {
        if (buffered.length < 2) return;
        if (buffered[1] !== 0) return fail('user name or password refused');
        buffered = buffered.subarray(2);
        return sendConnect();
      }
      // The reply: VER REP RSV ATYP BND.ADDR BND.PORT
      if (buffered.length < 5) return;
      const reply = buffered[1] ?? 1;
      if (reply !== 0) return fail(`cannot connect to ${host}:${port}: ${REPLIES[reply] ?? `reply ${reply}`}`);
      const type = buffered[3];
      const length = 4 + (type === 1 ? 4 : type === 4 ? 16 : 1 + (buffered[4] ?? 0)) + 2;
      if (buffered.length < length) return;
      socket.off('data', onData);
      const rest = buffered.subarray(length);
      if (rest.length > 0) socket.unshift(rest);
      resolve(socket);
    };
    socket.on('data', onData);
  });
}
