// Upload form: a size check before sending, a progress bar, drag-and-drop.
// Without JavaScript the form posts as usual and the server checks the same.
(function () {
  'use strict';
  var form = document.getElementById('upload-form');
  if (!form || !window.FormData || !window.XMLHttpRequest || !window.DOMParser) {
    return;
  }
  var input = document.getElementById('archive');
  var bar = document.getElementById('progress');
  var text = document.getElementById('progress-text');
  var errorBox = document.getElementById('upload-error');
  var zone = document.getElementById('dropzone');
  var send = document.getElementById('send');
  var confirmBox = document.getElementById('final-confirm');
  var confirmInput = document.getElementById('confirm');
  var max = Number(form.getAttribute('data-max-bytes'));

  function size(n) {
    return n >= 1048576 ? (n / 1048576).toFixed(1) + ' MB' : Math.ceil(n / 1024) + ' KB';
  }
  function showError(msg) {
    errorBox.textContent = msg;
    errorBox.hidden = false;
  }
  function mode() {
    var checked = form.querySelector('input[name=mode]:checked');
    return checked ? checked.value : '';
  }
  function sizeOK() {
    var f = input.files && input.files[0];
    if (f && f.size > max) {
      showError('This file is ' + size(f.size) + '; the limit is ' + size(max) + '. Leave data and models out of the archive.');
      return false;
    }
    errorBox.hidden = true;
    return true;
  }
  function showConfirm() {
    confirmBox.hidden = mode() !== 'final';
  }

  input.addEventListener('change', sizeOK);
  form.addEventListener('change', showConfirm);
  showConfirm();

  form.querySelectorAll('.js-only').forEach(function (el) { el.hidden = false; });
  zone.addEventListener('dragover', function (e) {
    e.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', function () { zone.classList.remove('over'); });
  zone.addEventListener('drop', function (e) {
    e.preventDefault();
    zone.classList.remove('over');
    if (e.dataTransfer && e.dataTransfer.files.length) {
      input.files = e.dataTransfer.files;
      sizeOK();
    }
  });

  function done() {
    send.disabled = false;
    bar.hidden = true;
    text.textContent = '';
  }

  // failed shows the server's reason, taken from the page it answered with.
  function failed(xhr) {
    var doc = new DOMParser().parseFromString(xhr.responseText || '', 'text/html');
    var msg = doc.querySelector('#upload-error:not([hidden]), .error .message');
    showError(msg ? msg.textContent : 'The upload failed (HTTP ' + xhr.status + '). Try again.');
    var key = doc.querySelector('input[name=key]');
    if (key) {
      form.querySelector('input[name=key]').value = key.value;
    }
    done();
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    if (!input.files || !input.files.length) {
      showError('Choose your archive first.');
      return;
    }
    if (!sizeOK()) {
      return;
    }
    if (mode() === 'final' && !confirmInput.checked) {
      showError('Tick the box to confirm your final submission: it cannot be replaced.');
      return;
    }
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.setRequestHeader('X-CSRF-Token', form.getAttribute('data-csrf'));
    xhr.upload.addEventListener('progress', function (ev) {
      if (ev.lengthComputable) {
        bar.value = Math.round(ev.loaded / ev.total * 100);
        text.textContent = 'Uploading: ' + bar.value + '% of ' + size(ev.total);
      }
    });
    xhr.upload.addEventListener('load', function () {
      bar.value = 100;
      text.textContent = 'Uploaded. Checking your archive…';
    });
    xhr.addEventListener('load', function () {
      // Success redirects to the submission's page; the XHR followed it.
      if (xhr.status === 200 && /\/submissions\/\d+(\/receipt)?$/.test(new URL(xhr.responseURL).pathname)) {
        window.location.assign(xhr.responseURL);
        return;
      }
      failed(xhr);
    });
    xhr.addEventListener('error', function () {
      showError('The upload did not reach the server. Check your connection and try again.');
      done();
    });
    errorBox.hidden = true;
    send.disabled = true;
    bar.hidden = false;
    bar.value = 0;
    xhr.send(new FormData(form));
  });
})();
