// copy.js puts a Copy button beside each read-only link field (invite and
// password links). Without JavaScript the field's text can still be
// selected and copied by hand.
(function () {
  'use strict';
  document.querySelectorAll('input.copy').forEach(function (input) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'secondary copy-button';
    button.textContent = 'Copy';
    button.setAttribute('aria-label', 'Copy ' + (input.getAttribute('aria-label') || 'link'));
    button.addEventListener('click', function () {
      input.select();
      var done = function () { button.textContent = 'Copied'; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand('copy'); done(); });
      } else {
        document.execCommand('copy'); // plain-HTTP localhost has no async clipboard
        done();
      }
    });
    input.insertAdjacentElement('afterend', button);
  });
})();
