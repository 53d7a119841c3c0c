// Model output → safe DOM. Markdown is parsed by marked; raw HTML in the output is shown as text
// (a model has no business writing markup into the page), images become links (nothing is fetched
// because a model said so), and the result still goes through DOMPurify before it touches the DOM.
// The library versions here must match the WebJars in the server's POM.

import { Marked } from './webjars/marked/17.0.1/lib/marked.esm.js';
import DOMPurify from './webjars/dompurify/3.3.3/dist/purify.es.mjs';

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const marked = new Marked({
  gfm: true,
  breaks: true,
  renderer: {
    html(token) {
      const text = escapeHtml(token.text);
      return token.block ? `<p>${text}</p>` : text;
    },
    image(token) {
      return `<a href="${escapeHtml(token.href)}">${escapeHtml(token.text || token.href)}</a>`;
    },
  },
});

const PURIFY = {
  USE_PROFILES: { html: true },
  FORBID_TAGS: ['style', 'img', 'svg', 'math', 'form', 'button', 'textarea', 'select', 'video', 'audio', 'iframe'],
  FORBID_ATTR: ['style', 'class', 'id'],
  RETURN_DOM_FRAGMENT: true,
};

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  }
});

/** Renders Markdown from the model as a sanitised DocumentFragment. */
export function renderMarkdown(text) {
  return DOMPurify.sanitize(marked.parse(String(text ?? '')), PURIFY);
}

/**
 * Markdown that grows at its end, rendered in linear time: the blocks before the last paragraph
 * break (a blank line outside a code fence) no longer change as text is appended, so they are
 * rendered once and kept; only the open block at the end is rendered again on each update.
 * Text that is not an extension of the last one (replaced content) is rendered whole again.
 */
export class GrowingMarkdown {
  constructor(container) {
    this.container = container;
    this.text = '';
    this.stableEnd = 0;   // text.slice(0, stableEnd) is rendered for good
    this.scanned = 0;     // where the search for paragraph breaks resumes
    this.inFence = false; // inside a ``` or ~~~ block at `scanned`
    this.tailNodes = [];
  }

  show(text) {
    text = String(text ?? '');
    if (!text.startsWith(this.text) || text.length < this.text.length) {
      this.container.replaceChildren();
      this.stableEnd = 0;
      this.scanned = 0;
      this.inFence = false;
      this.tailNodes = [];
    }
    this.text = text;
    const cut = this.scanForStableEnd();
    for (const node of this.tailNodes) node.remove();
    if (cut > this.stableEnd) {
      this.container.append(renderMarkdown(text.slice(this.stableEnd, cut)));
      this.stableEnd = cut;
    }
    const tail = renderMarkdown(text.slice(this.stableEnd));
    this.tailNodes = Array.from(tail.childNodes);
    this.container.append(tail);
  }

  /** Moves over whole lines not yet scanned; returns the end of the last blank line outside a fence. */
  scanForStableEnd() {
    const text = this.text;
    let cut = this.stableEnd;
    let lineStart = this.scanned;
    for (let nl = text.indexOf('\n', lineStart); nl !== -1; nl = text.indexOf('\n', lineStart)) {
      const line = text.slice(lineStart, nl);
      if (/^\s{0,3}(```|~~~)/.test(line)) this.inFence = !this.inFence;
      else if (!this.inFence && line.trim() === '' && lineStart > 0) cut = nl + 1;
      lineStart = nl + 1;
    }
    this.scanned = lineStart;
    return cut;
  }
}
