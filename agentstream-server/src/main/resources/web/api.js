// The page's HTTP client for the /v1 API. Every request carries the stored API key; a 401 asks
// the person for a key (once: it is kept in localStorage) and tries again.

import { createParser } from './sse.js';

const KEY_STORAGE = 'agentstream.apiKey';

/** An answer from the server that is not a success: `{"error": {"code", "message"}}`, or the HTTP status. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }

  static async from(response) {
    let code = `http_${response.status}`;
    let message = `${response.status} ${response.statusText || 'error'}`.trim();
    try {
      const body = await response.json();
      if (body && body.error) {
        code = body.error.code || code;
        message = body.error.message || message;
      }
    } catch {
      // Not JSON: the status line says enough.
    }
    return new ApiError(response.status, code, message);
  }
}

/** The stream went silent for longer than the server's heartbeat allows: the connection is dead. */
export class StreamIdleError extends Error {
  constructor(ms) {
    super(`no data for ${ms} ms`);
    this.name = 'StreamIdleError';
  }
}

/** The API key kept in this browser. */
export const apiKey = {
  get: () => localStorage.getItem(KEY_STORAGE),
  set: (key) => localStorage.setItem(KEY_STORAGE, key),
  clear: () => localStorage.removeItem(KEY_STORAGE),
};

/**
 * @param askForKey `(reason) => Promise<void>` resolving once a key was stored, rejecting if the
 *   person gave none
 */
export function createApi({ askForKey }) {
  async function send(method, path, { body, headers = {}, signal } = {}) {
    for (let attempt = 0; ; attempt++) {
      const all = { ...headers };
      const key = apiKey.get();
      if (key) all.Authorization = `Bearer ${key}`;
      if (body !== undefined) all['Content-Type'] = 'application/json';
      const response = await fetch(path, {
        method,
        headers: all,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
        cache: 'no-store',
      });
      if (response.status !== 401 || attempt >= 2) return response;
      if (key) apiKey.clear();
      await askForKey(key ? 'The API key was not accepted.' : 'This server needs an API key.');
    }
  }

  return {
    /** A JSON request; resolves to the parsed body (null for 204), rejects with ApiError. */
    async json(method, path, body) {
      const response = await send(method, path, { body });
      if (!response.ok) throw await ApiError.from(response);
      return response.status === 204 ? null : response.json();
    },

    /**
     * An SSE request: resolves when the server ends the stream, rejects with ApiError for an
     * error answer, with a TypeError / AbortError / StreamIdleError when the connection fails.
     * `onEvent({ id, event, data })` runs for each event.
     */
    async stream(method, path, { body, headers = {}, signal, onEvent, idleMs = 40_000 }) {
      const controller = new AbortController();
      const abort = () => controller.abort(signal.reason);
      signal?.addEventListener('abort', abort, { once: true });
      let timer;
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => controller.abort(new StreamIdleError(idleMs)), idleMs);
      };
      try {
        arm();
        const response = await send(method, path, {
          body,
          headers: { ...headers, Accept: 'text/event-stream' },
          signal: controller.signal,
        });
        if (!response.ok) throw await ApiError.from(response);
        const type = response.headers.get('Content-Type') || '';
        if (!type.startsWith('text/event-stream')) {
          throw new ApiError(response.status, 'not_a_stream', `expected an event stream, got ${type || 'no content type'}`);
        }
        const parser = createParser(onEvent);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        try {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            arm();
            parser.push(value);
          }
        } catch (e) {
          throw controller.signal.aborted && controller.signal.reason instanceof Error ? controller.signal.reason : e;
        }
        parser.end();
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', abort);
      }
    },
  };
}
