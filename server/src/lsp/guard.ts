import { ErrorCodes, ResponseError, type Connection } from 'vscode-languageserver';

/**
 * Wraps a request handler: an exception becomes an error response for that request
 * only, logged once, and the server stays up (rust-analyzer's catch_unwind per request).
 */
export function guard<P, R>(connection: Connection, name: string, handler: (params: P) => R): (params: P) => R | ResponseError<void> {
  return (params: P) => {
    const t0 = performance.now();
    try {
      return handler(params);
    } catch (e) {
      const err = e as Error;
      connection.console.error(`${name} failed: ${err?.stack ?? String(e)}`);
      return new ResponseError<void>(ErrorCodes.InternalError, `${name} failed: ${err?.message ?? String(e)}`);
    } finally {
      const ms = performance.now() - t0;
      if (ms > 200) connection.console.log(`${name} took ${ms.toFixed(0)} ms`);
    }
  };
}

/** Same for notifications: log and carry on. */
export function guardNotification<P>(connection: Connection, name: string, handler: (params: P) => void): (params: P) => void {
  return (params: P) => {
    try {
      handler(params);
    } catch (e) {
      connection.console.error(`${name} failed: ${(e as Error)?.stack ?? String(e)}`);
    }
  };
}
