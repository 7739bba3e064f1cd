// Live status of a submission through server-sent events. Without
// JavaScript the page reloads itself (a <noscript> meta refresh).
(function () {
  'use strict';
  var live = document.getElementById('live');
  var url = live && live.getAttribute('data-events');
  if (!url || !window.EventSource) {
    return;
  }
  var badge = document.getElementById('status');
  var waiting = document.getElementById('waiting');
  var list = document.getElementById('live-phases');
  var events = new EventSource(url);

  events.addEventListener('status', function (e) {
    var d = JSON.parse(e.data);
    badge.textContent = d.status;
    badge.className = 'badge ' + d.status;
    if (waiting) {
      waiting.textContent = d.done ? 'Finished: loading the result…' : 'Your submission is ' + d.status + '. This page updates by itself.';
    }
  });
  events.addEventListener('phase', function (e) {
    var d = JSON.parse(e.data);
    var item = document.createElement('li');
    var head = document.createElement('strong');
    head.textContent = d.step + ': ' + d.verdict + ' (' + d.wall + ')';
    item.appendChild(head);
    if (d.log) {
      var pre = document.createElement('pre');
      pre.className = 'log';
      pre.textContent = d.log; // text, never markup
      item.appendChild(pre);
    }
    list.appendChild(item);
  });
  events.addEventListener('restart', function () {
    list.textContent = ''; // a retried run starts over
  });
  events.addEventListener('done', function (e) {
    events.close();
    var d = JSON.parse(e.data);
    if (typeof d.url === 'string' && d.url.charAt(0) === '/' && d.url.charAt(1) !== '/') {
      setTimeout(function () { window.location.assign(d.url); }, 1000);
    }
  });
})();
