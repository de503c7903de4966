/**
 * The SIGTERM or SIGINT that stops a long-running command (`serve`, `audit serve`). Ask for it before saying
 * "listening": a supervisor or test that stops the process as soon as it reads that line must find the handler in
 * place, or the signal's default action kills the process without its graceful stop (the queue run, the output
 * closed).
 */
export function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
}
