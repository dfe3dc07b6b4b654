// EdgeGate console: polls the admin server's /api/ once a second (no framework, no build step).
// Every value from the gateway goes into the page as text (textContent): client ids, topics and
// error texts come from devices.
'use strict';
(function () {
  var PAGE = 50;
  var offset = 0;
  var token = sessionStorage.getItem('edgegate.token');
  var $ = function (id) { return document.getElementById(id); };

  function get(path) {
    var headers = {};
    if (token) { headers.Authorization = 'Bearer ' + token; }
    return fetch(path, { headers: headers, credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) {
        if (r.status === 401) { $('login').hidden = false; throw new Error('the admin server wants a token'); }
        return r.json().then(function (body) {
          if (!r.ok) { throw new Error(body.error || ('HTTP ' + r.status)); }
          return body;
        });
      });
  }

  function text(id, value) { $(id).textContent = value === null || value === undefined ? '–' : String(value); }

  function num(n) {
    if (n === null || n === undefined) { return '–'; }
    return n >= 1e6 ? (n / 1e6).toFixed(1) + 'M' : n >= 1e4 ? (n / 1e3).toFixed(1) + 'k' : String(n);
  }

  function bytes(n) {
    if (n === null || n === undefined) { return '–'; }
    var u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'], i = 0;
    while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
    return n.toFixed(i ? 1 : 0) + ' ' + u[i];
  }

  function age(seconds) {
    if (seconds === null || seconds === undefined) { return '–'; }
    if (seconds < 120) { return seconds.toFixed(0) + ' s'; }
    if (seconds < 7200) { return (seconds / 60).toFixed(0) + ' min'; }
    return (seconds / 3600).toFixed(1) + ' h';
  }

  function ago(iso) {
    if (!iso) { return '–'; }
    return age(Math.max(0, (Date.now() - Date.parse(iso)) / 1000)) + ' ago';
  }

  function row(tbody, cells, cls) {
    var tr = document.createElement('tr');
    cells.forEach(function (c, i) {
      var td = document.createElement('td');
      td.textContent = c === null || c === undefined ? '–' : String(c);
      if (cls && cls[i]) { td.className = cls[i]; }
      tr.appendChild(td);
    });
    tbody.appendChild(tr);
  }

  function clear(id) { var e = $(id); e.replaceChildren(); return e; }

  function pairs(id, list) {
    var dl = clear(id);
    list.forEach(function (p) {
      var dt = document.createElement('dt'), dd = document.createElement('dd');
      dt.textContent = p[0];
      dd.textContent = p[1] === null || p[1] === undefined ? '–' : String(p[1]);
      dl.appendChild(dt); dl.appendChild(dd);
    });
  }

  function sparkline(points) {
    var svg = clear('spark'), NS = 'http://www.w3.org/2000/svg';
    var values = points.map(function (p) { return p.events || 0; });
    var max = Math.max.apply(null, values.concat([1]));
    var step = values.length > 1 ? 300 / (values.length - 1) : 300;
    var d = values.map(function (v, i) {
      return (i ? 'L' : 'M') + (i * step).toFixed(1) + ' ' + (48 - v / max * 46).toFixed(1);
    }).join(' ');
    var path = document.createElementNS(NS, 'path');
    path.setAttribute('d', d || 'M0 48');
    path.setAttribute('fill', 'none');
    path.setAttribute('stroke', '#3a6ea5');
    path.setAttribute('stroke-width', '2');
    path.setAttribute('vector-effect', 'non-scaling-stroke');
    svg.appendChild(path);
    text('spark-max', 'max ' + num(max === 1 && !values.some(Boolean) ? 0 : max) + ' events');
  }

  function reasons(id, groups) {
    var tbody = clear(id);
    Object.keys(groups).forEach(function (group) {
      var byReason = groups[group];
      Object.keys(byReason).forEach(function (r) {
        if (byReason[r] > 0) { row(tbody, [group, r, byReason[r]]); }
      });
    });
    if (!tbody.firstChild) { row(tbody, ['none']); }
  }

  function overview(o) {
    var h = $('health');
    h.textContent = o.health.status + (o.health.ready ? '' : ' (not ready)');
    h.className = 'badge ' + o.health.status;
    text('updated', 'updated ' + new Date(o.time).toLocaleTimeString());
    text('t-in', o.events.inPerSecond);
    text('t-out', o.events.outPerSecond);
    text('t-devices', o.devices.connected);
    text('t-paused', o.devices.paused);
    text('t-backlog', num(o.backlog.events));
    text('t-oldest', age(o.backlog.oldestAgeSeconds));
    text('t-dead', num(o.deadLetters.total));
    sparkline(o.backlog.trend);
    var k = o.kafka;
    pairs('kafka', [
      ['state', k.available ? (k.answered ? 'available' : 'no send yet') : 'unavailable: the journal holds the backlog'],
      ['brokers', k.bootstrapServers],
      ['last error', k.lastError],
      ['at', k.lastErrorAt ? new Date(k.lastErrorAt).toLocaleString() : null],
      ['backlog', bytes(o.backlog.bytes)]
    ]);
    var j = o.journal;
    pairs('disk', [
      ['used', bytes(j.diskUsedBytes) + (j.maxBytes ? ' of ' + bytes(j.maxBytes) + ' (journal.maxBytes)' : '')],
      ['free', bytes(j.diskFreeBytes) + ', keeps ' + bytes(j.minFreeDiskBytes) + ' (journal.minFreeDisk)'],
      ['refusing', j.refusing || 'no']
    ]);
    var pct = j.maxBytes && j.diskUsedBytes !== null ? Math.min(100, j.diskUsedBytes / j.maxBytes * 100) : 0;
    $('disk-bar').style.width = pct.toFixed(1) + '%';
    reasons('refusals', o.refusals);
    reasons('dlreasons', { 'dead letter': o.deadLetters.byReason });
  }

  function devices(d) {
    var tbody = clear('devices');
    d.devices.forEach(function (x) {
      var s = x.session;
      var schemas = Object.keys(x.schemaVersions).map(function (t) { return t + '@' + x.schemaVersions[t]; }).join(', ');
      row(tbody, [x.clientId, ago(x.lastSeen), x.events, x.ratePerSecond, x.lastQos,
        (s.persistent ? 'persistent, ' + s.expirySeconds + ' s' : 'clean'), x.protocolVersion, schemas || '–']);
    });
    text('devices-total', '(' + d.total + ')');
    text('page', d.total ? (d.offset + 1) + '–' + Math.min(d.total, d.offset + d.limit) + ' of ' + d.total : 'none');
    $('prev').disabled = d.offset === 0;
    $('next').disabled = d.offset + d.limit >= d.total;
  }

  function deadLetters(d) {
    var tbody = clear('deadletters');
    d.deadLetters.forEach(function (x) {
      row(tbody, [new Date(x.at).toLocaleTimeString(), x.reason, x.device, x.topic, x.eventId, x.error],
        [null, null, null, null, null, 'err']);
    });
    if (!d.deadLetters.length) { row(tbody, ['none']); }
  }

  function schemas(s) {
    var t = clear('schemas');
    s.types.forEach(function (x) { row(t, [x.type, x.version, x.events, x.upcast, x.devices, x.newest ? 'yes' : 'no']); });
    if (!s.types.length) { row(t, ['no schema versions seen']); }
    var o = clear('oldversions');
    s.devicesOnOldVersions.forEach(function (x) { row(o, [x.deviceId, x.type, x.version, x.newestVersion, ago(x.lastSeen)]); });
    if (!s.devicesOnOldVersions.length) { row(o, ['none']); }
  }

  function problem(e) { var p = $('problem'); p.hidden = !e; p.textContent = e ? String(e.message || e) : ''; }

  var tick = 0;
  function poll() {
    var all = [get('/api/overview').then(overview)];
    if (tick % 2 === 0) { all.push(get('/api/deadletters/recent').then(deadLetters)); }
    if (tick % 3 === 0) { all.push(get('/api/devices?limit=' + PAGE + '&offset=' + offset).then(devices)); }
    if (tick % 10 === 0) { all.push(get('/api/schemas').then(schemas)); }
    tick++;
    Promise.all(all).then(function () { problem(null); }, problem)
      .then(function () { setTimeout(poll, 1000); });
  }

  function page(delta) {
    offset = Math.max(0, offset + delta);
    get('/api/devices?limit=' + PAGE + '&offset=' + offset).then(devices, problem);
  }

  document.addEventListener('DOMContentLoaded', function () {
    $('prev').addEventListener('click', function () { page(-PAGE); });
    $('next').addEventListener('click', function () { page(PAGE); });
    $('login').addEventListener('submit', function (e) {
      e.preventDefault();
      token = $('token').value.trim();
      sessionStorage.setItem('edgegate.token', token);
      $('login').hidden = true;
    });
    $('trace-form').addEventListener('submit', function (e) {
      e.preventDefault();
      var id = $('trace-id').value.trim();
      text('trace-fate', 'tracing…');
      $('trace-out').textContent = '';
      get('/api/trace/' + encodeURIComponent(id)).then(function (t) {
        text('trace-fate', t.fate.replace('_', ' ') + (t.entry ? ' — from ' + t.entry.device : ''));
        $('trace-out').textContent = JSON.stringify(t, null, 2);
      }, function (err) { text('trace-fate', String(err.message || err)); });
    });
    poll();
  });
})();
