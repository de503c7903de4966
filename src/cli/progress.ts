/** A one-line progress counter on stderr, only for an interactive terminal outside CI. */
export function progressReporter(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv) {
  const enabled = stream.isTTY === true && !env.CI;
  let shown = false;
  let last = 0;
  return {
    update(done: number, total: number): void {
      if (!enabled || total < 20) return;
      const now = Date.now();
      if (now - last < 100 && done !== total) return;
      last = now;
      shown = true;
      stream.write(`\r\u001b[2Kscanning ${done}/${total} inputs`);
    },
    done(): void {
      if (shown) stream.write('\r\u001b[2K');
    },
  };
}
