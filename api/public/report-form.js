// Enhances the unit head's report form; the form works without it (rows are then added by the
// server: the "add a row" buttons submit the form and it comes back with one more empty row).
(function () {
  'use strict';

  // Repeatable rows: clone the row template instead of a round trip.
  function addRow(kind) {
    var list = document.querySelector('[data-rows="' + kind + '"]');
    var template = document.getElementById('tpl-' + kind);
    if (!list || !template) return null;
    var next = 0;
    list.querySelectorAll('fieldset[data-index]').forEach(function (row) {
      next = Math.max(next, Number(row.getAttribute('data-index')) + 1);
    });
    var markup = template.innerHTML
      .split('__i__')
      .join(String(next))
      .split('__n__')
      .join(String(next + 1));
    var holder = document.createElement('div');
    holder.innerHTML = markup;
    var row = holder.firstElementChild;
    if (!row) return null;
    list.appendChild(row);
    return row;
  }
  document.querySelectorAll('button[data-add-row]').forEach(function (button) {
    button.addEventListener('click', function (event) {
      event.preventDefault();
      var row = addRow(button.getAttribute('data-add-row'));
      if (!row) return;
      var first = row.querySelector('input, select, textarea');
      if (first) first.focus();
      var status = document.getElementById('rows-status');
      if (status) status.textContent = button.getAttribute('data-added') || '';
    });
  });

  // Submitting is final: ask once.
  document.querySelectorAll('button[data-confirm]').forEach(function (button) {
    button.addEventListener('click', function (event) {
      if (!window.confirm(button.getAttribute('data-confirm'))) event.preventDefault();
    });
  });

  // Print buttons are hidden until a script can press them.
  document.querySelectorAll('[data-print]').forEach(function (button) {
    button.hidden = false;
    button.addEventListener('click', function () {
      window.print();
    });
  });

  // The form saves itself: a draft a few seconds after each change. Until the server has it, the
  // form's fields are also kept on this device, so changes typed while the connection is down
  // survive a closed tab and are sent when it returns; leaving with unsaved changes asks first.
  var form = document.getElementById('report-form');
  var storeKey = 'baocao-draft:' + window.location.pathname;
  var storage = (function () {
    try {
      return window.localStorage;
    } catch {
      return null;
    }
  })();
  function forget() {
    if (storage) storage.removeItem(storeKey);
  }
  if (!form || !form.getAttribute('data-autosave') || !window.fetch) {
    // A page without the form (receipt, submitted report): nothing of it is pending any more.
    if (!form && storage) forget();
    return;
  }
  var autosaveUrl = form.getAttribute('data-autosave');
  var statusBox = document.getElementById('autosave-status');
  var SAVE_AFTER_MS = 2500;
  var RETRY_AFTER_MS = 5000;
  var timer = null;
  var inFlight = false;
  var changedSinceSend = false;
  var dirty = false;
  var leaving = false;

  function fields() {
    var data = new window.URLSearchParams();
    new window.FormData(form).forEach(function (value, name) {
      if (name !== 'action' && typeof value === 'string') data.append(name, value);
    });
    return data.toString();
  }
  function remember(body) {
    try {
      if (storage) storage.setItem(storeKey, body);
    } catch {
      /* storage full or denied: the server copy is then the only one */
    }
  }
  function show(text, kind) {
    if (!statusBox) return;
    statusBox.textContent = text;
    statusBox.className = 'hint autosave' + (kind ? ' ' + kind : '');
  }
  function schedule(ms) {
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(save, ms);
  }
  function save() {
    timer = null;
    if (inFlight) {
      changedSinceSend = true;
      return;
    }
    var body = fields();
    inFlight = true;
    changedSinceSend = false;
    show(form.getAttribute('data-saving'));
    window
      .fetch(autosaveUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: body,
        credentials: 'omit',
        cache: 'no-store',
      })
      .then(function (response) {
        return response.json().then(function (json) {
          return { ok: response.ok, status: response.status, json: json };
        });
      })
      .then(function (answer) {
        inFlight = false;
        if (answer.ok) {
          if (!changedSinceSend) {
            dirty = false;
            forget();
          }
          show(answer.json.text, 'ok');
        } else if (answer.json && answer.json.errors) {
          // The server refuses some values: they stay here until corrected.
          show(
            form.getAttribute('data-invalid') +
              ' ' +
              answer.json.errors
                .map(function (e) {
                  return (e.label || e.field) + ': ' + e.message;
                })
                .join('; '),
            'warn',
          );
        } else {
          show((answer.json && answer.json.message) || '', 'warn');
        }
        if (changedSinceSend) schedule(SAVE_AFTER_MS);
      })
      .catch(function () {
        inFlight = false;
        show(form.getAttribute('data-offline'), 'warn');
        schedule(RETRY_AFTER_MS);
      });
  }
  function changed() {
    dirty = true;
    remember(fields());
    schedule(SAVE_AFTER_MS);
  }

  // Changes kept on this device by an earlier visit that never reached the server come back first.
  var kept = storage ? storage.getItem(storeKey) : null;
  if (kept && !document.getElementById('error-summary')) {
    new window.URLSearchParams(kept).forEach(function (value, name) {
      var match = /^(ex|pr)\.(\d+)\./.exec(name);
      for (var guard = 0; match && !form.elements.namedItem(name) && guard < 20; guard += 1) addRow(match[1]);
      var field = form.elements.namedItem(name);
      if (field && 'value' in field && field.type !== 'hidden' && field.type !== 'submit') field.value = value;
    });
    dirty = true;
    show(form.getAttribute('data-restored'), 'warn');
    schedule(0);
  }

  form.addEventListener('input', changed);
  form.addEventListener('change', changed);
  form.addEventListener('submit', function () {
    // The whole form is posted now (save or submit): what it carries is no longer pending here.
    leaving = true;
    forget();
  });
  window.addEventListener('online', function () {
    if (dirty) schedule(0);
  });
  window.addEventListener('beforeunload', function (event) {
    if (!dirty || leaving) return;
    event.preventDefault();
    event.returnValue = form.getAttribute('data-leave');
    return form.getAttribute('data-leave');
  });
})();
