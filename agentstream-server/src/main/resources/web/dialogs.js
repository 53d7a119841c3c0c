// Modal dialogs on the native <dialog> element (focus trap, Escape to close, keyboard usable):
// the approval / user-input dialog of a paused run, the API key prompt, a yes/no confirmation.

import { h } from './dom.js';

let counter = 0;

/** Shows a modal dialog built by `build(close)`; resolves with what `close(value)` was given (null on Escape). */
function modal(className, build) {
  return new Promise((resolve) => {
    const dialog = h('dialog', { class: `dialog ${className}` });
    let result = null;
    const close = (value) => {
      result = value;
      dialog.close();
    };
    dialog.append(build(close));
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(result);
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/**
 * Asks the person to decide every requirement of a paused run. Resolves with the `tools` array for
 * `POST /v1/runs/{id}/continue`, or null when the dialog was dismissed (the run stays paused).
 */
export function askDecisions(requirements) {
  return modal('approval', (close) => {
    const decisions = new Map();
    const decide = (id, decision) => {
      decisions.set(id, decision);
      if (decisions.size === requirements.length) close(requirements.map((r) => decisions.get(r.tool_call_id)));
    };
    const titleId = `dialog-title-${++counter}`;
    const form = h('form', { method: 'dialog', 'aria-labelledby': titleId, on: { submit: (e) => e.preventDefault() } },
      h('h2', { id: titleId, text: title(requirements) }),
      requirements.map((r) => requirementSection(r, decide)),
      h('div', { class: 'dialog-foot' },
        h('button', { type: 'button', class: 'later', text: 'Decide later', on: { click: () => close(null) } })));
    return form;
  });
}

function title(requirements) {
  const kinds = new Set(requirements.map((r) => r.kind));
  if (kinds.size === 1 && kinds.has('CONFIRMATION')) return 'The agent asks for your approval';
  if (kinds.size === 1 && kinds.has('USER_INPUT')) return 'The agent needs some information';
  return 'The agent waits for you';
}

function requirementSection(r, decide) {
  const tool = r.tool || {};
  const id = r.tool_call_id || tool.tool_call_id;
  const section = h('section', { class: 'requirement', dataset: { kind: r.kind || '', toolCallId: id || '' } },
    h('h3', {}, h('span', { class: 'tool-icon', 'aria-hidden': 'true', text: '⚙' }), tool.tool_name || 'tool'),
    h('pre', { class: 'req-args', text: JSON.stringify(tool.tool_args ?? {}, null, 2) }));
  const done = (decision, label) => {
    for (const control of section.querySelectorAll('input, textarea, button')) control.disabled = true;
    section.dataset.decided = label;
    decide(id, { tool_call_id: id, ...decision });
  };
  if (r.kind === 'USER_INPUT') section.append(userInputForm(r.user_input_schema || tool.user_input_schema || [], done));
  else if (r.kind === 'EXTERNAL_EXECUTION') section.append(externalResultForm(done));
  else section.append(confirmationControls(done));
  return section;
}

function confirmationControls(done) {
  const note = h('input', { type: 'text', name: 'note', class: 'note', placeholder: 'Why? (optional, sent with the decision)' });
  const withNote = (decision) => (note.value.trim() ? { ...decision, confirmation_note: note.value.trim() } : decision);
  return h('div', { class: 'confirmation' },
    h('label', { class: 'field' }, h('span', { text: 'Note' }), note),
    h('div', { class: 'buttons' },
      h('button', { type: 'button', class: 'reject danger', text: 'Reject',
        on: { click: () => done(withNote({ confirmed: false }), 'rejected') } }),
      h('button', { type: 'button', class: 'approve primary', text: 'Approve', autofocus: true,
        on: { click: () => done(withNote({ confirmed: true }), 'approved') } })));
}

function userInputForm(schema, done) {
  const inputs = schema.map((field) => {
    const type = String(field.field_type || 'str').toLowerCase();
    const input = type === 'bool' || type === 'boolean'
      ? h('input', { type: 'checkbox', name: field.name })
      : h('input', { type: ['int', 'integer', 'float', 'number'].includes(type) ? 'number' : 'text', name: field.name,
        step: type === 'float' || type === 'number' ? 'any' : null, required: true });
    if (field.value != null && input.type !== 'checkbox') input.value = String(field.value);
    return { field, type, input };
  });
  const submit = () => {
    const values = {};
    for (const { field, type, input } of inputs) values[field.name] = inputValue(type, input);
    done({ user_input: values }, 'submitted');
  };
  return h('div', { class: 'user-input' },
    inputs.map(({ field, input }) => h('label', { class: 'field' },
      h('span', { text: field.name }), field.description ? h('small', { text: field.description }) : null, input)),
    h('div', { class: 'buttons' },
      h('button', { type: 'button', class: 'primary submit', text: 'Send', on: { click: submit } })));
}

function inputValue(type, input) {
  if (input.type === 'checkbox') return input.checked;
  if (type === 'int' || type === 'integer') return Number.parseInt(input.value, 10);
  if (type === 'float' || type === 'number') return Number.parseFloat(input.value);
  if (type === 'list' || type === 'dict' || type === 'object' || type === 'array') {
    try {
      return JSON.parse(input.value);
    } catch {
      return input.value;
    }
  }
  return input.value;
}

function externalResultForm(done) {
  const result = h('textarea', { name: 'result', rows: 3, placeholder: 'The result of running this tool yourself' });
  return h('div', { class: 'external' },
    h('label', { class: 'field' }, h('span', { text: 'Result' }), result),
    h('div', { class: 'buttons' },
      h('button', { type: 'button', class: 'primary submit', text: 'Send result',
        on: { click: () => done({ result: result.value }, 'submitted') } })));
}

/** Asks for an API key; resolves with it, or null when the person cancelled. */
export function askApiKey(reason) {
  return modal('api-key', (close) => {
    const input = h('input', { type: 'password', name: 'api-key', autocomplete: 'off', required: true,
      'aria-label': 'API key', autofocus: true });
    return h('form', { method: 'dialog', on: { submit: (e) => {
      e.preventDefault();
      if (input.value.trim()) close(input.value.trim());
    } } },
      h('h2', { text: 'API key' }),
      h('p', { text: `${reason} It is kept in this browser until you choose “Forget API key”.` }),
      input,
      h('div', { class: 'buttons' },
        h('button', { type: 'button', text: 'Cancel', on: { click: () => close(null) } }),
        h('button', { type: 'submit', class: 'primary', text: 'Save' })));
  });
}

/** A yes/no question; resolves true when confirmed. */
export async function confirmAction(question, confirmLabel) {
  const answer = await modal('confirm', (close) => h('form', { method: 'dialog', on: { submit: (e) => e.preventDefault() } },
    h('p', { text: question }),
    h('div', { class: 'buttons' },
      h('button', { type: 'button', text: 'Cancel', autofocus: true, on: { click: () => close(false) } }),
      h('button', { type: 'button', class: 'danger confirm', text: confirmLabel, on: { click: () => close(true) } }))));
  return answer === true;
}
