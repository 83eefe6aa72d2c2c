// Enhances the unit head's report form; the form works without it (rows are then added by the
// server: the "add a row" buttons submit the form and it comes back with one more empty row).
(function () {
  'use strict';

  // Repeatable rows: clone the row template instead of a round trip.
  document.querySelectorAll('button[data-add-row]').forEach(function (button) {
    button.addEventListener('click', function (event) {
      var kind = button.getAttribute('data-add-row');
      var list = document.querySelector('[data-rows="' + kind + '"]');
      var template = document.getElementById('tpl-' + kind);
      if (!list || !template) return;
      event.preventDefault();
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
      if (!row) return;
      list.appendChild(row);
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
})();
