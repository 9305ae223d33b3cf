"""JavaScript and CSS the map sends to the browser, kept apart from the Python builders.

The snippets only concatenate strings that ``conflictmap.render.html`` escaped in
Python; none of them inserts unescaped data into HTML. ``%(tag)s`` is replaced by
the event-id tag; the marker factories receive the layer's tables ``T`` when its
data has arrived (``LAYER_VIEW``).
"""
from __future__ import annotations

# Each layer script is an object with make(row) -> marker and bind(marker). Markers are
# made bare; their tooltip and popup are bound on the first hover or click (binding
# 50,000 up front took seconds). The popup is assembled from strings escaped in Python;
# nothing here inserts unescaped data. The hidden span carries the event id back to
# Streamlit, which reads the tooltip's text on a click.
EVENT_MARKERS = """(function (T) {
  return {
    make: function (row) {
      var color = T.colors[row[2]];
      var marker = L.circleMarker([row[0], row[1]], {
        radius: 7, color: '#ffffff', weight: 1.5, fillColor: color, fillOpacity: 0.9, cmColor: color
      });
      marker.cmRow = row;
      return marker;
    },
    bind: function (marker) {
      var row = marker.cmRow, color = T.colors[row[2]];
      marker.bindTooltip(T.places[row[5]] + ' \\u00b7 ' + T.types[row[2]] +
        '<span style="display:none">%(tag)s' + row[3] + '</span>');
      marker.bindPopup(function () {
        var art = T.articles[row[8]];
        return '<div class="cm-popup" data-event-id="' + row[3] + '">' +
          '<div class="cm-type" style="border-color:' + color + '">' + T.types[row[2]] + '</div>' +
          '<div class="cm-date">' + T.labels[row[4]] + '</div>' +
          '<div class="cm-place-line">' + T.places[row[5]] + ' <small>(' + T.labels[row[9]] + ')</small></div>' +
          '<div class="cm-fat">Fatalities: ' + T.labels[row[6]] + '</div>' +
          '<blockquote class="cm-excerpt">' + row[7] + '</blockquote>' +
          '<div class="cm-title">' + art[0] + '</div>' +
          '<div class="cm-link">' + art[1] + '</div></div>';
      }, {maxWidth: 360});
    }
  };
})"""


REFERENCE_MARKERS = """(function (T) {
  return {
    make: function (row) {
      var marker = L.circleMarker([row[0], row[1]], {
        radius: 5, color: '#ffffff', weight: 1, fillColor: T.color, fillOpacity: 0.6, dashArray: '2 2'
      });
      marker.cmRow = row;
      return marker;
    },
    bind: function (marker) {
      var row = marker.cmRow;
      marker.bindTooltip(T.labels[row[4]] + ' \\u00b7 UCDP');
      marker.bindPopup(function () {
        return '<div class="cm-popup cm-ref">' +
          '<div class="cm-type" style="border-color:' + T.color + '">Reference: ' + T.labels[row[2]] + '</div>' +
          '<div class="cm-date">' + T.labels[row[3]] + '</div>' +
          '<div class="cm-place-line">' + T.labels[row[4]] + '</div>' +
          '<div class="cm-fat">Deaths: ' + T.labels[row[5]] + '</div>' +
          '<blockquote class="cm-excerpt">' + T.labels[row[6]] + '</blockquote>' +
          '<div><small>' + T.labels[row[7]] + '</small></div>' +
          '<div class="cm-credit">' + T.credit + '</div></div>';
      }, {maxWidth: 360});
    }
  };
})"""


# One data layer kept in the browser across Streamlit reruns, under a key naming its rows.
# LAYER_VIEW(key, source, view, options) returns a stand-in for the layer's marker cluster
# (its ``cmCluster``; the stand-in keeps the cluster on the map across reruns): made, and its
# data loaded (fetched from source.url, or source.data inline), the first time the key is
# seen; after that the same cluster is only re-filtered. ``view`` says which rows to show
# (``layers.view_filter``): a change of dates, types, precision or death minimum removes and
# adds only the markers that differ, with no new data from Python. ``options`` carries
# the cluster options, its icon function and the marker factory (EVENT_MARKERS ...).
# ``cmReady`` is true once the markers of the latest view are all clustered (tests and
# benchmarks wait on it; ``cmShown`` and ``cmSettledAt`` then say how many and when);
# ``cmError`` says why the data could not be loaded.
LAYER_VIEW = """function (key, source, view, options) {
  var store = window.cmLayers || (window.cmLayers = {});
  var e = store[key];
  if (!e) {
    // Rows of this kind sent earlier (an older filter or cache entry, or rows before new events
    // arrived) are not coming back. The view they showed carries over, so the in-map period
    // stays, and so does an open popup (reopened on the same event once the new rows are drawn).
    var kind = options.cluster.cmLayer, before = null;
    for (var old in store) {
      if (store[old].kind === kind) { before = store[old]; before.gone = true; delete store[old]; }
    }
    var cluster = L.markerClusterGroup(options.cluster);
    cluster.options.iconCreateFunction = options.icon;
    var open = window.cmOpenPopup;
    e = store[key] = {kind: kind, cluster: cluster, data: null, factory: null, made: [], shown: null,
                      view: before ? before.view : null, busy: false, again: false, gone: false,
                      reopen: open && open.kind === kind ? open.id : null};
    cluster.cmReady = false;
    cluster.options.chunkProgress = function (done, total) {
      // Joining the map clusters a (here always empty) queue too: only our own additions count.
      if (!e.busy || done < total) { return; }
      e.busy = false;
      if (e.again) { e.again = false; apply(); } else { cluster.cmReady = true; settled(); }
    };
    function ready(ev) {
      var m = ev.layer;
      if (m && m.cmRow !== undefined && !m.cmBound) { m.cmBound = true; e.factory.bind(m); }
      return m && m.cmRow !== undefined ? m : null;
    }
    e.ready = ready;
    cluster.on('mouseover', function (ev) { var m = ready(ev); if (m) { m.openTooltip(); } });
    cluster.on('click', function (ev) { var m = ready(ev); if (m && !m.isPopupOpen()) { m.openPopup(); } });
    cluster.on('popupopen', function (ev) {
      var m = ev.propagatedFrom || ev.layer;
      if (m && m.cmRow) { window.cmOpenPopup = {kind: kind, id: m.cmRow[3]}; }
    });
    // Forgotten only when the reader closed it: not when this layer gave way to newer rows
    // (it is off the map by the time this runs, or marked gone by its successor).
    cluster.on('popupclose', function () {
      setTimeout(function () { if (!e.gone && e.cluster._map) { window.cmOpenPopup = null; } }, 0);
    });
    var loaded = function (data) {
      e.data = data; e.factory = options.markers(data.tables); apply();
      if (window.cmPeriodSync) { window.cmPeriodSync(); }
    };
    if (source.data) {
      loaded(source.data);
    } else {
      fetch(source.url, {credentials: 'same-origin'})
        .then(function (r) { if (!r.ok) { throw new Error('HTTP ' + r.status); } return r.json(); })
        .then(loaded)
        .catch(function (err) {
          cluster.cmError = 'The map data could not be loaded (' + err.message + '): reload the page.';
          cluster.cmReady = true;
          if (window.console) { console.error(cluster.cmError); }
          if (cluster._map) {
            var note = L.control({position: 'topright'});
            note.onAdd = function () {
              var div = L.DomUtil.create('div', 'cm-error');
              div.textContent = cluster.cmError;
              return div;
            };
            note.addTo(cluster._map);
          }
        });
    }
  }
  var changed = JSON.stringify(view) !== JSON.stringify(e.view);
  e.view = view;
  e.apply = apply;
  e.cluster.cmReady = false;
  if (changed) {
    // A new view sets the whole period again (a mere rerun keeps it), unless the reader let go
    // of the map's sliders since and this view is an older answer: ``view.at`` stamps the
    // last period the server applied, ``cmPeriodAt`` the last one the map sent.
    if (!window.cmPeriodAt || view.at === window.cmPeriodAt) { window.cmPeriod = null; }
    if (window.cmPeriodSync) { window.cmPeriodSync(); }
  }
  // Filter once the cluster is on the map: there it clusters additions in chunks.
  if (e.cluster._map) { setTimeout(apply, 0); } else { e.cluster.once('add', apply); }
  return handle();

  // What goes into the feature group: a stand-in that puts the cluster on the map and keeps it
  // there while the next rerun swaps the feature group for a new one naming the same rows.
  // Taking the cluster off the map and back would redraw every cluster icon for nothing.
  function handle() {
    var h = new L.Layer();
    h.cmCluster = e.cluster;
    h.onAdd = function (map) {
      e.live = h;
      if (!e.cluster._map) { map.addLayer(e.cluster); }
    };
    h.onRemove = function (map) {
      // The new feature group is added in the same task as the old one is removed.
      setTimeout(function () {
        if (e.live === h && e.cluster._map) { e.live = null; map.removeLayer(e.cluster); }
      }, 0);
    };
    return h;
  }

  function keep(K, v, i) {
    var d = K.day ? K.day[i] : null, p = window.cmPeriod;
    // A period set in the map (PERIOD_CONTROL) stands for the sidebar's until the server has it.
    if (p) {
      if (d === null || d < p[0] || d > p[1]) { return false; }
    } else {
      if (v.day[0] !== null && (d === null || d < v.day[0])) { return false; }
      if (v.day[1] !== null && (d === null || d > v.day[1])) { return false; }
    }
    if (v.type !== null && K.type && v.type.indexOf(K.type[i]) < 0) { return false; }
    if (v.geo !== null && K.geo && (K.geo[i] === null || K.geo[i] > v.geo)) { return false; }
    if (v.time !== null && K.time && (K.time[i] === null || K.time[i] > v.time)) { return false; }
    if (v.deaths !== null && K.deaths && K.deaths[i] < v.deaths) { return false; }
    return true;
  }

  function marker(i) {
    return e.made[i] || (e.made[i] = e.factory.make(e.data.rows[i]));
  }

  function apply() {
    if (!e.data || !e.cluster._map) { return; }
    if (e.busy) { e.again = true; return; }
    e.cluster.cmReady = false;
    var rows = e.data.rows, K = e.data.keys, v = e.view, n = rows.length;
    var want = new Uint8Array(n), add = [], drop = [], i;
    for (i = 0; i < n; i++) { want[i] = keep(K, v, i) ? 1 : 0; }
    if (e.shown === null) {
      for (i = 0; i < n; i++) { if (want[i]) { add.push(marker(i)); } }
    } else {
      for (i = 0; i < n; i++) {
        if (want[i] && !e.shown[i]) { add.push(marker(i)); }
        else if (!want[i] && e.shown[i]) { drop.push(e.made[i]); }
      }
    }
    var kept = 0;
    for (i = 0; i < n; i++) { kept += want[i]; }
    e.kept = kept;
    if (e.shown !== null && add.length + drop.length > kept) {
      // Most of the view changes: clustering the new set afresh is quicker than a long diff.
      e.cluster.clearLayers();
      add = [];
      for (i = 0; i < n; i++) { if (want[i]) { add.push(marker(i)); } }
    } else if (drop.length) {
      e.cluster.removeLayers(drop);
    }
    e.shown = want;
    if (add.length) { e.busy = true; e.cluster.addLayers(add); } else { e.cluster.cmReady = true; settled(); }
  }

  function settled() {
    // When the latest view was drawn, and with how many markers: benchmarks read these
    // instead of counting the cluster's markers, which costs the page a pass over all of them.
    e.cluster.cmShown = e.kept;
    e.cluster.cmSettledAt = performance.timeOrigin + performance.now();
    if (e.reopen !== null && e.shown) { reopen(e.reopen, 20); }
    if (window.cmPeriodShown) { window.cmPeriodShown(); }
  }

  // Open the popup of event ``id`` again once its marker is placed (clustering may still be
  // under way), and only where it is drawn on its own: opening it must not move the map.
  function reopen(id, tries) {
    if (e.gone || e.reopen !== id) { return; }
    var rows = e.data.rows;
    for (var i = 0; i < rows.length; i++) {
      if (rows[i][3] !== id || !e.shown[i]) { continue; }
      // A circle marker drawn on its own is on the map itself; one folded into a cluster
      // icon is not, and then the popup stays closed.
      var m = e.made[i];
      if (m._map) { e.ready({layer: m}); m.openPopup(); break; }
      if (!e.cluster.getVisibleParent(m) && tries > 0) {
        setTimeout(function () { reopen(id, tries - 1); }, 100);
        return;
      }
      break;
    }
    e.reopen = null;
  }
}"""


# A control in the map that sets the period: two sliders over the days of the rows the browser
# holds, and how many events the map shows. Dragging re-filters those rows in the page, with no
# rerun; letting go hands the period to the server (``MAP_PERIOD_VALUE`` in the component's value),
# which makes it the filters' period, so the URL, the sidebar, the figures and the chart follow.
PERIOD_CONTROL = """function (map) {
  var box = L.DomUtil.create('div', 'cm-period leaflet-bar');
  box.style.display = 'none';
  var title = L.DomUtil.create('div', 'cm-period-title', box);
  title.textContent = 'Period';
  var from = L.DomUtil.create('input', '', box), to = L.DomUtil.create('input', '', box);
  var label = L.DomUtil.create('div', 'cm-period-label', box);
  [from, to].forEach(function (input, i) {
    input.type = 'range'; input.step = 1;
    input.setAttribute('aria-label', i ? 'Map period, last day' : 'Map period, first day');
    input.className = i ? 'cm-period-to' : 'cm-period-from';
  });
  L.DomEvent.disableClickPropagation(box);
  L.DomEvent.disableScrollPropagation(box);
  var control = L.control({position: 'topright'});
  control.onAdd = function () { return box; };
  control.addTo(map);
  var span = null, pending = null;
  function day(d) { return new Date(d * 86400000).toISOString().slice(0, 10); }
  function layers() { var s = window.cmLayers || {}; return Object.keys(s).map(function (k) { return s[k]; }); }
  function events() { return layers().filter(function (e) { return e.kind === 'events' && e.data; }); }
  // The days of the rows held (the period can move anywhere in them), and the sidebar's period.
  function bounds() {
    var lo = null, hi = null;
    events().forEach(function (e) {
      var K = e.data.keys.day || [];
      for (var i = 0; i < K.length; i++) {
        if (K[i] === null) { continue; }
        if (lo === null || K[i] < lo) { lo = K[i]; }
        if (hi === null || K[i] > hi) { hi = K[i]; }
      }
    });
    return lo === null ? null : [lo, hi];
  }
  function sidebar() {
    var v = events().map(function (e) { return e.view; }).filter(Boolean)[0], d = v ? v.day : [null, null];
    var a = d[0] === null ? span[0] : Math.max(d[0], span[0]), b = d[1] === null ? span[1] : Math.min(d[1], span[1]);
    return a > b ? span : [a, b];
  }
  function text() {
    var p = window.cmPeriod || sidebar(), n = 0;
    events().forEach(function (e) { if (e.shown) { for (var i = 0; i < e.shown.length; i++) { n += e.shown[i]; } } });
    label.textContent = day(p[0]) + ' \u2013 ' + day(p[1]) + ': ' + n.toLocaleString('en')
      + (n === 1 ? ' event' : ' events');
  }
  window.cmPeriodSync = function () {
    span = bounds();
    if (span === null || span[0] === span[1]) { box.style.display = 'none'; return; }
    box.style.display = '';
    [from, to].forEach(function (input) { input.min = span[0]; input.max = span[1]; });
    var p = window.cmPeriod || sidebar();
    from.value = p[0]; to.value = p[1];
    text();
  };
  window.cmPeriodShown = function () { if (span !== null) { text(); } };
  function moved(ev) {
    var a = +from.value, b = +to.value, s = sidebar();
    if (a > b) { if (ev.target === from) { to.value = b = a; } else { from.value = a = b; } }
    window.cmPeriod = (a === s[0] && b === s[1]) ? null : [a, b];
    text();
    // One filter pass per frame while a slider is dragged.
    if (pending === null) {
      pending = requestAnimationFrame(function () {
        pending = null;
        layers().forEach(function (e) { if (e.apply) { e.apply(); } });
      });
    }
  }
  // Let go: the server makes this the filters' period. The value keeps what streamlit-folium
  // last sent (the clicked marker), so the server reads no click that did not happen.
  function commit() {
    var p = window.cmPeriod, g = window.__GLOBAL_DATA__;
    if (!p || !g || !window.Streamlit) { return; }
    var value = Object.assign({}, g.previous_data || {});
    window.cmPeriodAt = Date.now();
    value[%(key)s] = {from: day(p[0]), to: day(p[1]), at: window.cmPeriodAt};
    g.previous_data = value;
    window.Streamlit.setComponentValue(value);
  }
  from.addEventListener('input', moved);
  to.addEventListener('input', moved);
  from.addEventListener('change', commit);
  to.addEventListener('change', commit);
  window.cmPeriodSync();
}"""


# Fetch a JSON file from the app's static folder and hand it to done(); a failure is said on the
# map (top right) and in the console, never silently.
FETCH_JSON = """(function (map, url, done) {
  fetch(url, {credentials: 'same-origin'})
    .then(function (r) { if (!r.ok) { throw new Error('HTTP ' + r.status); } return r.json(); })
    .then(done)
    .catch(function (err) {
      var text = 'Part of the map could not be loaded (' + err.message + '): reload the page.';
      if (window.console) { console.error(text, url); }
      var note = L.control({position: 'topright'});
      note.onAdd = function () { var div = L.DomUtil.create('div', 'cm-error'); div.textContent = text; return div; };
      note.addTo(map);
    });
})"""


# A cluster icon ringed in the colour of its most common event type.
EVENT_CLUSTER_ICON = """function (cluster) {
  var markers = cluster.getAllChildMarkers(), counts = {}, best = null;
  for (var i = 0; i < markers.length; i++) {
    var c = markers[i].options.cmColor;
    counts[c] = (counts[c] || 0) + 1;
    if (best === null || counts[c] > counts[best]) { best = c; }
  }
  var n = cluster.getChildCount();
  var size = n < 10 ? 30 : n < 100 ? 36 : n < 1000 ? 42 : 48;
  return L.divIcon({
    html: '<div style="border-color:' + best + '"><span>' + n + '</span></div>',
    className: 'cm-cluster', iconSize: L.point(size, size)
  });
}"""


REFERENCE_CLUSTER_ICON = """function (cluster) {
  var n = cluster.getChildCount();
  var size = n < 10 ? 22 : n < 100 ? 26 : 30;
  // Anchored off centre, down and to the right: a news cluster at the same place never hides it.
  return L.divIcon({
    html: '<div><span>' + n + '</span></div>', className: 'cm-cluster cm-ref-cluster',
    iconSize: L.point(size, size), iconAnchor: L.point(-6, -6)
  });
}"""


# The offline basemap's place labels: rows [name (escaped in Python), lat, lon, min zoom], biggest
# first; redrawn on every move, at most 120 in view and none on top of a bigger place's, in a
# pane above the country fills that takes no clicks, so every marker stays clickable.
PLACE_LABELS = """function (map, rows) {
  var pane = map.createPane('cmLabels');
  pane.style.zIndex = 450; pane.style.pointerEvents = 'none';
  var layer = L.layerGroup().addTo(map);
  function draw() {
    layer.clearLayers();
    var z = map.getZoom(), view = map.getBounds().pad(0.1), placed = [];
    for (var i = 0; i < rows.length && placed.length < 120; i++) {
      var r = rows[i];
      if (r[3] > z || !view.contains([r[1], r[2]])) { continue; }
      var label = L.marker([r[1], r[2]], {pane: 'cmLabels', interactive: false, keyboard: false,
        icon: L.divIcon({className: r[4] ? 'cm-label cm-label-admin' : 'cm-label', html: r[0], iconSize: null})});
      layer.addLayer(label);
      // A smaller place whose label would cover a bigger one's is left out (rows come biggest first).
      var box = label.getElement().getBoundingClientRect(), clash = false;
      for (var j = 0; j < placed.length && !clash; j++) {
        var o = placed[j];
        clash = box.left < o.right + 4 && o.left < box.right + 4 && box.top < o.bottom && o.top < box.bottom;
      }
      if (clash) { layer.removeLayer(label); } else { placed.push(box); }
    }
  }
  map.on('zoomend moveend', draw);
  draw();
}"""


CONTEXT_LAYERS = """function (map, specs, fetchJson) {
  // Each layer is fetched the first time the map reaches its zoom, then shown or hidden by zoom.
  map.cmContext = {};
  specs.forEach(function (spec) {
    var pane = map.createPane('cmContext-' + spec.name);
    pane.style.zIndex = spec.z; pane.style.pointerEvents = 'none';
    var state = {layer: null, loading: false};
    function sync() {
      var wanted = map.getZoom() >= spec.minZoom;
      if (wanted && !state.layer && !state.loading) {
        state.loading = true;
        fetchJson(map, spec.url, function (data) {
          state.layer = L.geoJSON(data, {pane: 'cmContext-' + spec.name, interactive: false,
            style: function () { return spec.style; }});
          map.cmContext[spec.name] = state.layer;
          sync();
        });
        return;
      }
      if (!state.layer) { return; }
      if (wanted && !map.hasLayer(state.layer)) { state.layer.addTo(map); }
      if (!wanted && map.hasLayer(state.layer)) { map.removeLayer(state.layer); }
    }
    map.on('zoomend', sync);
    sync();
  });
}"""


MAP_CSS = """
.cm-legend { background: rgba(255,255,255,0.9); padding: 4px 7px; border-radius: 4px;
  font: 11px/1.35 sans-serif; box-shadow: 0 1px 4px rgba(0,0,0,0.3); }
.cm-legend i { display: inline-block; width: 10px; height: 10px; border-radius: 50%;
  margin-right: 5px; vertical-align: -1px; border: 1px solid #fff; }
.cm-legend i.cm-ref-swatch { border: 1px dashed #fff; }
.cm-legend summary { cursor: pointer; }
.cm-legend details:not([open]) summary { opacity: 0.85; }
.leaflet-bottom.leaflet-left { max-width: 45%; }
.leaflet-bottom.leaflet-right { max-width: 50%; }
.leaflet-control-attribution { white-space: normal; line-height: 1.3; font-size: 11px; }
.cm-cluster div { width: 100%; height: 100%; box-sizing: border-box; border-radius: 50%;
  border: 5px solid #666; background: rgba(40,48,60,0.85); color: #fff;
  display: flex; align-items: center; justify-content: center; font: bold 12px sans-serif; }
.cm-ref-cluster div { background: rgba(75,41,145,0.5); border: 2px dashed #fff; font-size: 10px; }
.cm-popup { font: 13px/1.4 sans-serif; }
.cm-popup .cm-type { font-weight: bold; border-left: 6px solid #999; padding-left: 6px; }
.cm-popup .cm-excerpt { margin: 6px 0; padding-left: 8px; border-left: 2px solid #ccc; color: #333; }
.cm-popup mark.cm-place { background: #ffe08a; padding: 0 1px; }
.cm-popup .cm-title { font-style: italic; }
.cm-popup .cm-credit, .cm-popup .cm-nolink { color: #666; font-size: 11px; word-break: break-all; }
.leaflet-container { background: #dfe8ef; }
.cm-error { background: #fff3f0; color: #8a1f11; border: 1px solid #d9a79c; padding: 4px 8px;
  border-radius: 4px; font: 12px/1.35 sans-serif; max-width: 260px; }
.cm-label { font: 11px/1 sans-serif; color: #56616b; white-space: nowrap; transform: translate(-50%, -50%);
  text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff; }
.cm-period { background: rgba(255,255,255,0.92); padding: 5px 8px; font: 11px/1.35 sans-serif; width: 190px; }
.cm-period-title { font-weight: bold; }
.cm-period input { width: 100%; margin: 2px 0; display: block; }
.cm-period-label { color: #333; white-space: nowrap; }
.cm-label.cm-label-admin { font: italic 10px/1 sans-serif; color: #7d858c; letter-spacing: 0.08em;
  text-transform: uppercase; }
"""
