// Enhances console pages; every page works without it.
(function () {
  'use strict';

  // The status board refreshes itself while nobody is typing or has an action menu open.
  if (document.getElementById('board')) {
    var typed = false;
    document.addEventListener('input', function () {
      typed = true;
    });
    window.setInterval(function () {
      var active = document.activeElement;
      var busy =
        typed ||
        document.querySelector('details[open]') ||
        (active && /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName));
      if (!busy && document.visibilityState === 'visible') window.location.reload();
    }, 30000);
  }

  // A CSV file chosen on the import page is read into the text box (which also works by pasting).
  var file = document.getElementById('csv-file');
  var text = document.getElementById('csv');
  if (file && text) {
    file.hidden = false;
    var label = document.querySelector('label[for="csv-file"]');
    if (label) label.hidden = false;
    file.addEventListener('change', function () {
      var chosen = file.files && file.files[0];
      if (!chosen) return;
      var reader = new FileReader();
      reader.onload = function () {
        text.value = String(reader.result || '');
      };
      reader.readAsText(chosen, 'utf-8');
    });
  }

  // Irreversible actions ask once.
  document.querySelectorAll('button[data-confirm]').forEach(function (button) {
    button.addEventListener('click', function (event) {
      if (!window.confirm(button.getAttribute('data-confirm'))) event.preventDefault();
    });
  });
})();
