// A text/event-stream parser (the WHATWG "event stream interpretation"), for streams read with
// fetch: EventSource can neither POST nor send an Authorization header.

/**
 * Returns a parser that calls `onEvent({ id, event, data })` for each complete event. Lines end
 * with CRLF, LF or CR; a CR at the end of a chunk waits for the next one, since it may be the
 * first half of a CRLF. Comment lines (`: ping`) are skipped.
 */
export function createParser(onEvent) {
  let buffer = '';
  let data = [];
  let event = '';
  let id = null;

  function field(line) {
    if (line === '') {
      dispatch();
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (name === 'data') data.push(value);
    else if (name === 'event') event = value;
    else if (name === 'id' && !value.includes('\0')) id = value;
  }

  function dispatch() {
    if (data.length > 0) onEvent({ id, event: event || 'message', data: data.join('\n') });
    data = [];
    event = '';
  }

  function lines(final) {
    let start = 0;
    for (let i = 0; i < buffer.length; i++) {
      const c = buffer[i];
      if (c !== '\n' && c !== '\r') continue;
      if (c === '\r' && i === buffer.length - 1 && !final) break;
      field(buffer.slice(start, i));
      if (c === '\r' && buffer[i + 1] === '\n') i++;
      start = i + 1;
    }
    buffer = buffer.slice(start);
  }

  return {
    /** Feeds decoded text. */
    push(text) {
      buffer += text;
      lines(false);
    },
    /** The stream ended: a last CR ends its line; an event without its blank line is dropped (as the spec says). */
    end() {
      lines(true);
      buffer = '';
      data = [];
    },
  };
}
