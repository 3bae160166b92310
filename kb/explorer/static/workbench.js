// The query workbench: YASGUI wired to this server's /sparql, with the example
// queries, completion of the project's vocabulary (no remote look-ups), result
// views beyond the table (bar chart, map of coordinates, co-mention network),
// downloads, a share link, code snippets, and errors that say what happened.
/* global Yasgui */
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("workbench-config").textContent);
  const words = JSON.parse(document.getElementById("workbench-words").textContent);
  const es = words.lang === "es";
  const say = (en, sp) => (es ? sp : en);
  const SVG = "http://www.w3.org/2000/svg";

  // --- helpers -------------------------------------------------------------------------
  function el(tag, attrs, text) {
    const node = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function shortIri(value) {
    for (const [prefix, ns] of Object.entries(config.prefixes)) {
      if (value.startsWith(ns)) return prefix + ":" + value.slice(ns.length);
    }
    const cut = Math.max(value.lastIndexOf("/"), value.lastIndexOf("#"));
    return cut >= 0 ? value.slice(cut + 1) : value;
  }
  function isNumeric(term) {
    return term && term.type !== "uri" && term.value !== "" && !isNaN(Number(term.value));
  }
  function display(term) {
    if (!term) return "";
    return term.type === "uri" ? shortIri(term.value) : term.value;
  }
  function results(yasr) {
    const r = yasr.results;
    if (!r || r.getError() || r.getType() !== "json") return null;
    const vars = r.getVariables() || [];
    const rows = r.getBindings() || [];
    return vars.length && rows.length ? { vars, rows } : null;
  }
  function numericVar(data) {
    return data.vars.find((v) => data.rows.every((row) => !row[v] || isNumeric(row[v])) && data.rows.some((row) => isNumeric(row[v])));
  }

  // --- result views (YASR plugins) -------------------------------------------------------
  class ChartPlugin {
    constructor(yasr) { this.yasr = yasr; this.priority = 3; this.label = words.chart; }
    canHandleResults() {
      const data = results(this.yasr);
      return !!data && !!numericVar(data) && data.vars.length > 1;
    }
    getIcon() { return el("span", {}, "▥"); }
    draw() {
      const data = results(this.yasr);
      const value = numericVar(data);
      const numeric = (v) => data.rows.every((row) => !row[v] || isNumeric(row[v]));
      const candidates = data.vars.filter((v) => v !== value && !numeric(v) && !/^(lat|latitude|lon|long|longitude|lng)$/i.test(v));
      // Name bars by their labels (literals) when there are any, else by the IRIs.
      const literal = candidates.filter((v) => data.rows.some((row) => row[v] && row[v].type !== "uri"));
      const labels = literal.length ? literal : candidates;
      const rows = data.rows.slice(0, 60);
      const max = Math.max(1, ...rows.map((r) => Number(r[value] ? r[value].value : 0)));
      const rowH = 22, left = 320, width = 900;
      const svg = el("svg:svg", { viewBox: `0 0 ${width} ${rows.length * rowH + 30}`, class: "yasr-svg", role: "img" });
      svg.appendChild(el("svg:title", {}, `${value} (${say("bar chart", "gráfico de barras")})`));
      rows.forEach((row, i) => {
        const n = Number(row[value] ? row[value].value : 0);
        const name = labels.map((v) => display(row[v])).filter(Boolean).join(" · ");
        const y = i * rowH + 4;
        const text = el("svg:text", { x: left - 8, y: y + 14, "text-anchor": "end" }, name.length > 52 ? name.slice(0, 51) + "…" : name);
        text.appendChild(el("svg:title", {}, name));
        svg.appendChild(text);
        const w = ((width - left - 60) * n) / max;
        svg.appendChild(el("svg:rect", { x: left, y, width: Math.max(w, 1), height: rowH - 6, fill: "#1f5fa8" }));
        svg.appendChild(el("svg:text", { x: left + w + 6, y: y + 14 }, String(n)));
      });
      const box = el("div", { class: "yasr-chart" });
      if (data.rows.length > rows.length) box.appendChild(el("p", { class: "hint" }, say(`First ${rows.length} of ${data.rows.length} rows.`, `Primeras ${rows.length} de ${data.rows.length} filas.`)));
      box.appendChild(svg);
      this.yasr.resultsEl.appendChild(box);
    }
  }

  // Places as an SVG scatter of their coordinates (no tile server, no network access).
  class MapPlugin {
    constructor(yasr) { this.yasr = yasr; this.priority = 4; this.label = words.map; }
    vars(data) {
      const lat = data.vars.find((v) => /^(lat|latitude)$/i.test(v));
      const lon = data.vars.find((v) => /^(lon|long|longitude|lng)$/i.test(v));
      return lat && lon ? { lat, lon } : null;
    }
    canHandleResults() {
      const data = results(this.yasr);
      return !!data && !!this.vars(data) && data.rows.some((r) => isNumeric(r[this.vars(data).lat]));
    }
    getIcon() { return el("span", {}, "⌖"); }
    draw() {
      const data = results(this.yasr);
      const { lat, lon } = this.vars(data);
      const points = data.rows.filter((r) => isNumeric(r[lat]) && isNumeric(r[lon])).map((r) => ({
        lat: Number(r[lat].value), lon: Number(r[lon].value),
        label: data.vars.filter((v) => v !== lat && v !== lon).map((v) => display(r[v])).filter(Boolean)[0] || "",
      }));
      let [minLat, maxLat, minLon, maxLon] = [Math.min(...points.map((p) => p.lat)), Math.max(...points.map((p) => p.lat)), Math.min(...points.map((p) => p.lon)), Math.max(...points.map((p) => p.lon))];
      const pad = Math.max(2, (maxLat - minLat) * 0.1, (maxLon - minLon) * 0.1);
      minLat -= pad; maxLat += pad; minLon -= pad; maxLon += pad;
      const width = 900, height = Math.max(300, Math.min(640, (width * (maxLat - minLat)) / (maxLon - minLon)));
      const x = (v) => ((v - minLon) / (maxLon - minLon)) * width;
      const y = (v) => height - ((v - minLat) / (maxLat - minLat)) * height;
      const svg = el("svg:svg", { viewBox: `0 0 ${width} ${height}`, class: "yasr-svg map", role: "img" });
      svg.appendChild(el("svg:title", {}, say("Places by latitude and longitude", "Lugares por latitud y longitud")));
      svg.appendChild(el("svg:rect", { x: 0, y: 0, width, height, fill: "#eef3f8" }));
      const step = [1, 2, 5, 10, 20, 30].find((s) => (maxLon - minLon) / s <= 12) || 45;
      for (let g = Math.ceil(minLon / step) * step; g <= maxLon; g += step) {
        svg.appendChild(el("svg:line", { x1: x(g), x2: x(g), y1: 0, y2: height, stroke: "#cdd7e3" }));
        svg.appendChild(el("svg:text", { x: x(g) + 2, y: height - 4 }, `${g}°`));
      }
      for (let g = Math.ceil(minLat / step) * step; g <= maxLat; g += step) {
        svg.appendChild(el("svg:line", { x1: 0, x2: width, y1: y(g), y2: y(g), stroke: "#cdd7e3" }));
        svg.appendChild(el("svg:text", { x: 2, y: y(g) - 2 }, `${g}°`));
      }
      for (const p of points) {
        const dot = el("svg:circle", { cx: x(p.lon), cy: y(p.lat), r: 5, fill: "#b3261e", stroke: "#fff" });
        dot.appendChild(el("svg:title", {}, `${p.label} (${p.lat}, ${p.lon})`));
        svg.appendChild(dot);
        if (points.length <= 40) svg.appendChild(el("svg:text", { x: x(p.lon) + 7, y: y(p.lat) + 4 }, p.label));
      }
      this.yasr.resultsEl.appendChild(svg);
    }
  }

  // Two IRI columns (and an optional count) drawn as a network: e.g. co-mentioned institutions.
  class NetworkPlugin {
    constructor(yasr) { this.yasr = yasr; this.priority = 2; this.label = words.network; }
    columns(data) {
      const iris = data.vars.filter((v) => data.rows.every((r) => !r[v] || r[v].type === "uri"));
      return iris.length >= 2 ? iris.slice(0, 2) : null;
    }
    canHandleResults() {
      const data = results(this.yasr);
      return !!data && !!this.columns(data);
    }
    getIcon() { return el("span", {}, "☍"); }
    draw() {
      const data = results(this.yasr);
      const [a, b] = this.columns(data);
      const weightVar = numericVar(data);
      const labelOf = (v, row) => {
        const named = data.vars.find((w) => w.toLowerCase() === (v + "label").toLowerCase());
        return named && row[named] ? row[named].value : display(row[v]);
      };
      const nodes = new Map();
      const edges = [];
      for (const row of data.rows) {
        if (!row[a] || !row[b]) continue;
        const w = weightVar && row[weightVar] ? Number(row[weightVar].value) : 1;
        edges.push({ a: row[a].value, b: row[b].value, w });
        for (const v of [a, b]) {
          const node = nodes.get(row[v].value) || { label: labelOf(v, row), weight: 0 };
          node.weight += w;
          nodes.set(row[v].value, node);
        }
      }
      const top = [...nodes.entries()].sort((p, q) => q[1].weight - p[1].weight).slice(0, 40);
      const keep = new Set(top.map(([k]) => k));
      const size = 860, c = size / 2, radius = size / 2 - 170;
      const pos = new Map();
      top.forEach(([k], i) => {
        const angle = -Math.PI / 2 + (2 * Math.PI * i) / top.length;
        pos.set(k, { x: c + radius * Math.cos(angle), y: c + radius * Math.sin(angle), angle });
      });
      const maxW = Math.max(1, ...edges.map((e) => e.w));
      const maxN = Math.max(1, ...top.map(([, n]) => n.weight));
      const svg = el("svg:svg", { viewBox: `0 0 ${size} ${size}`, class: "yasr-svg network", role: "img" });
      svg.appendChild(el("svg:title", {}, say("Network of the two IRI columns", "Red de las dos columnas de IRI")));
      for (const e of edges) {
        if (!keep.has(e.a) || !keep.has(e.b)) continue;
        const p = pos.get(e.a), q = pos.get(e.b);
        const line = el("svg:line", { x1: p.x, y1: p.y, x2: q.x, y2: q.y, stroke: "#7a8aa5", "stroke-opacity": 0.6, "stroke-width": 0.8 + (5 * e.w) / maxW });
        line.appendChild(el("svg:title", {}, `${nodes.get(e.a).label} — ${nodes.get(e.b).label}: ${e.w}`));
        svg.appendChild(line);
      }
      for (const [k, n] of top) {
        const p = pos.get(k);
        svg.appendChild(el("svg:circle", { cx: p.x, cy: p.y, r: 4 + (8 * n.weight) / maxN, fill: "#1f5fa8", stroke: "#fff" }));
        const cos = Math.cos(p.angle);
        const label = n.label.length > 30 ? n.label.slice(0, 29) + "…" : n.label;
        const text = el("svg:text", { x: p.x + 14 * cos, y: p.y + 14 * Math.sin(p.angle) + 4, "text-anchor": cos > 0.2 ? "start" : cos < -0.2 ? "end" : "middle" }, label);
        text.appendChild(el("svg:title", {}, n.label));
        svg.appendChild(text);
      }
      this.yasr.resultsEl.appendChild(svg);
    }
  }

  Yasgui.Yasr.registerPlugin("chart", ChartPlugin);
  Yasgui.Yasr.registerPlugin("map", MapPlugin);
  Yasgui.Yasr.registerPlugin("network", NetworkPlugin);

  // --- completion from our vocabulary (the defaults ask a remote service) ----------------
  const Yasqe = Yasgui.Yasqe;
  const startsWithToken = (list) => (yasqe, token) => {
    const wanted = token && token.autocompletionString ? token.autocompletionString : "";
    return list.filter((iri) => iri.startsWith(wanted));
  };
  Yasqe.forkAutocompleter("class", { name: "mgiClass", get: startsWithToken(config.classes), bulk: false, persistenceId: null });
  Yasqe.forkAutocompleter("property", { name: "mgiProperty", get: startsWithToken(config.properties), bulk: false, persistenceId: null });
  Yasqe.forkAutocompleter("prefixes", {
    name: "mgiPrefixes",
    get: () => Object.entries(config.prefixes).map(([p, ns]) => `${p}: <${ns}>`).sort(),
    persistenceId: null,
  });
  Yasqe.defaults.autocompleters = ["mgiPrefixes", "variables", "mgiClass", "mgiProperty"];
  const prefixLines = Object.entries(config.prefixes).filter(([p]) => ["mgi", "org", "skos", "rdfs", "dcterms", "schema"].includes(p)).map(([p, ns]) => `PREFIX ${p}: <${ns}>`).join("\n");
  Yasqe.defaults.value = `${prefixLines}\n\nSELECT ?finding ?domain ?assessment ?text WHERE {\n  ?finding a mgi:Finding ;\n           mgi:domain ?domain ;\n           mgi:assessment ?assessment ;\n           mgi:text ?text .\n}\nLIMIT 20`;

  // --- errors that name the cause ---------------------------------------------------------
  const CAUSES = {
    query_syntax: [ "Syntax error", "Error de sintaxis" ],
    query_timeout: [ `Stopped: the query ran past its deadline of ${config.timeout} s. Narrow it or add LIMIT.`, `Detenida: la consulta superó su plazo de ${config.timeout} s. Acótela o agregue LIMIT.` ],
    overloaded: [ "Every query worker is busy; try again in a few seconds.", "Todos los procesos de consulta están ocupados; reintente en unos segundos." ],
    query_refused: [ "Refused: this endpoint is read-only and only calls allowed SERVICE endpoints.", "Rechazada: este punto de acceso es de solo lectura y solo llama a servicios SERVICE permitidos." ],
    request_too_large: [ "The query is too long.", "La consulta es demasiado larga." ],
    uri_too_long: [ "The query is too long for a GET request.", "La consulta es demasiado larga para GET." ],
    not_acceptable: [ "This result cannot be given in the format asked for.", "Este resultado no puede darse en el formato pedido." ],
    store_unavailable: [ "The store is (re)starting; try again shortly.", "El almacén se está (re)iniciando; reintente en breve." ],
    query_failed: [ "The query failed while running.", "La consulta falló al ejecutarse." ],
  };
  function parseError(text) {
    try {
      const body = JSON.parse(text);
      if (body && body.error) return body;
    } catch (e) { /* not our JSON error: show it as it is */ }
    const plain = /^(\d{3}) ([a-z_]+): (.*)$/s.exec((text || "").trim());
    return plain ? { error: plain[2], detail: plain[3] } : null;
  }
  function renderError(error) {
    const body = parseError(error && error.text);
    if (!body) return undefined;
    const box = el("div", { class: "workbench-error", "data-error": body.error });
    const cause = CAUSES[body.error];
    const where = body.line ? say(` (line ${body.line}, column ${body.column})`, ` (línea ${body.line}, columna ${body.column})`) : "";
    box.appendChild(el("p", { class: "cause" }, (cause ? say(cause[0], cause[1]) : body.error) + where));
    box.appendChild(el("pre", { class: "detail" }, body.detail || ""));
    setStatus("error", (cause ? say(cause[0], cause[1]) : body.error) + where);
    return box;
  }

  const status = document.getElementById("workbench-status");
  function setStatus(kind, text) {
    status.className = "workbench-status show " + kind;
    status.textContent = text;
  }

  // YASGUI builds each tab's result view from Yasr.defaults (not from its own yasr option).
  Yasgui.Yasr.defaults.errorRenderers = [renderError];

  // --- the workbench ----------------------------------------------------------------------
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: "mgi-workbench",
    endpointCatalogueOptions: { getData: () => [{ endpoint: config.endpoint }] },
    yasr: { prefixes: config.prefixes },
  });

  function currentQuery() {
    return yasgui.getTab().getQuery();
  }

  yasgui.on("query", () => { status.className = "workbench-status"; });
  yasgui.on("queryResponse", (instance, tab) => {
    // YASR takes the response just after this event: look at it on the next tick.
    setTimeout(() => {
      const r = tab.getYasr().results;
      if (!r || r.getError()) return;
      const headers = r.res && r.res.headers;
      const truncated = headers && headers.get && headers.get("X-Result-Truncated") === "true";
      const rows = headers && headers.get ? headers.get("MGI-Rows") : null;
      if (truncated) {
        setStatus("warning", say(
          `Only the first ${rows || config.rowCap} rows were sent (row cap ${config.rowCap}). Use LIMIT and OFFSET to page through the rest.`,
          `Solo se enviaron las primeras ${rows || config.rowCap} filas (límite ${config.rowCap}). Use LIMIT y OFFSET para ver el resto.`));
      } else if (rows !== null) {
        setStatus("ok", say(`${rows} rows`, `${rows} filas`) + (r.getResponseTime() ? ` · ${r.getResponseTime()} ms` : ""));
      }
    }, 0);
    updateShare();
  });

  // Examples dialog, from queries/*.rq (title, description, tags).
  const dialog = document.getElementById("examples-dialog");
  const list = document.getElementById("examples-list");
  for (const example of config.examples) {
    const item = el("li", { "data-example": example.name });
    item.appendChild(el("h3", {}, example.title));
    item.appendChild(el("p", {}, example.description));
    const tags = el("p", { class: "tags" });
    for (const tag of example.tags) tags.appendChild(el("span", {}, tag));
    item.appendChild(tags);
    const load = el("button", { type: "button" }, words.load);
    load.addEventListener("click", () => {
      const tab = yasgui.getTab();
      tab.setQuery(example.query);
      tab.setName(example.title);
      dialog.close();
      updateShare();
    });
    item.appendChild(load);
    list.appendChild(item);
  }
  document.getElementById("open-examples").addEventListener("click", () => dialog.showModal());

  // Downloads in the endpoint's own formats.
  for (const button of document.querySelectorAll("[data-download]")) {
    button.addEventListener("click", async () => {
      const format = button.dataset.download;
      const body = new URLSearchParams({ query: currentQuery(), format });
      const response = await fetch(config.endpoint, { method: "POST", body, headers: { Accept: "application/json;q=0.1,*/*" } });
      if (!response.ok) {
        renderError({ text: await response.text() });
        return;
      }
      const blob = await response.blob();
      const link = el("a", { href: URL.createObjectURL(blob), download: `results.${format}` });
      document.body.appendChild(link);
      link.click();
      link.remove();
    });
  }

  // Share link and code snippets for the current query.
  const share = document.getElementById("share-link");
  function updateShare() {
    const url = new URL(window.location.href);
    url.search = "";
    url.searchParams.set("query", currentQuery());
    if (words.lang) url.searchParams.set("lang", words.lang);
    share.value = url.toString();
    const q = currentQuery();
    document.getElementById("snippet-curl").textContent =
      `curl -H 'Accept: text/csv' --data-urlencode query@query.rq ${config.endpoint}\n\n# query.rq:\n${q}`;
    document.getElementById("snippet-python").textContent =
      `from SPARQLWrapper import JSON, SPARQLWrapper\n\nendpoint = SPARQLWrapper(${JSON.stringify(config.endpoint)})\nendpoint.setMethod("POST")\nendpoint.setQuery(${JSON.stringify(q)})\nendpoint.setReturnFormat(JSON)\nfor row in endpoint.queryAndConvert()["results"]["bindings"]:\n    print({name: term["value"] for name, term in row.items()})`;
    document.getElementById("snippet-r").textContent =
      `library(SPARQL)\n\nquery <- ${JSON.stringify(q)}\nresult <- SPARQL(url = ${JSON.stringify(config.endpoint)}, query = query)\nhead(result$results)`;
  }
  document.getElementById("copy-share").addEventListener("click", async () => {
    updateShare();
    try { await navigator.clipboard.writeText(share.value); } catch (e) { share.select(); }
    setStatus("ok", words.copied);
  });
  yasgui.on("tabChange", updateShare);
  yasgui.on("tabSelect", () => setTimeout(updateShare, 0));
  document.getElementById("snippets").addEventListener("toggle", updateShare);
  updateShare();
  window.mgiWorkbench = yasgui; // for tests and the console
})();
