// The outreach app, offline-first (/rue/terrain/). Everything recorded goes to the outbox first
// (outbox.js), then to the API in order when the network is there, each call with the
// Idempotency-Key it got once: a retry never doubles anything. A refusal of the server stays on
// the phone with its reason until the worker corrects it (sent again with a NEW key) or drops it.
(function () {
  "use strict";
  var root = document.querySelector("[data-field]");
  var box = window.HalteOutbox;
  if (!root || !box || !window.indexedDB) { return; }
  var T = JSON.parse(document.getElementById("field-text").textContent);
  var API = root.dataset.api;
  var DATA_URL = root.dataset.dataUrl;
  var TIME = { timeZone: "Europe/Paris", hour: "2-digit", minute: "2-digit" };
  var STAMP = { timeZone: "Europe/Paris", weekday: "short", day: "numeric", month: "numeric", hour: "2-digit", minute: "2-digit" };
  var ref = null;        // reference data: teams, places, sites, nights
  var codes = null;      // {codes: Set, expires: ms}
  var rounds = {};       // team id → {id, label, started_at, contacts} recorded on this phone
  var csrf = null;
  var syncing = false;
  var position = null;   // {lon, lat} from the phone's location
  var alerts = null;     // {alerts, checked_at, read: [ids acknowledged on this phone]}

  function $(sel, el) { return (el || root).querySelector(sel); }
  function $$(sel, el) { return Array.prototype.slice.call((el || root).querySelectorAll(sel)); }
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (m, k) { return values[k] === undefined ? m : values[k]; });
  }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { node.textContent = attrs[k]; } else { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { if (c) { node.appendChild(c); } });
    return node;
  }
  function normalise(typed) {
    return (typed || "").trim().toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
  }
  function team() { return $("[data-team]").value; }
  function message(text) { $("[data-sync-message]").textContent = text || ""; }

  // ---- what the phone keeps -------------------------------------------------------------
  function load() {
    return Promise.all([box.get("reference"), box.get("codes"), box.get("rounds"), box.get("alerts")]).then(function (got) {
      ref = got[0] || null;
      rounds = got[2] || {};
      alerts = got[3] || null;
      if (got[1] && got[1].expires > Date.now()) {
        codes = { codes: new Set(got[1].codes), expires: got[1].expires };
      } else {
        codes = null;
        if (got[1]) { return box.drop("codes"); }  // expired: forgotten
      }
      return undefined;
    });
  }
  function saveRounds() { return box.set("rounds", rounds); }

  function refresh() {
    // The reference data and a fresh CSRF token; false when offline or signed out.
    return fetch(DATA_URL, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.redirected || response.status === 401 || response.status === 403) {
          message(T.session);
          return false;
        }
        if (!response.ok) { return false; }
        return response.json().then(function (data) {
          csrf = data.csrf;
          var expires = Date.now() + data.codes_ttl_seconds * 1000;
          var kept = { codes: data.codes, expires: expires };
          delete data.csrf;
          delete data.codes;
          data.fetched_at = new Date().toISOString();
          ref = data;
          codes = { codes: new Set(kept.codes), expires: expires };
          return box.all().then(function (items) {
            data.teams.forEach(function (t) {
              // The server's word on the round, unless something of this team still waits.
              var busy = items.some(function (i) { return i.team === t.id && i.state === "pending"; });
              if (!busy) { rounds[t.id] = t.round ? { id: t.round.id, label: t.round.label, started_at: t.round.started_at, contacts: (rounds[t.id] && rounds[t.id].id === t.round.id) ? rounds[t.id].contacts : 0 } : null; }
            });
            return Promise.all([box.set("reference", data), box.set("codes", kept), saveRounds(), fetchAlerts()]);
          }).then(function () { return true; });
        });
      }, function () { return false; });
  }

  function token() {
    if (csrf) { return csrf; }
    var input = document.querySelector("[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // ---- sending, in order ----------------------------------------------------------------
  function reasonOf(response) {
    return response.json().then(function (body) {
      var error = body && body.error;
      if (!error) { return String(response.status); }
      var details = (error.details || []).map(function (d) { return d.message || d.msg || ""; }).filter(function (d) {
        return d && d !== error.message;
      });
      return [error.message].concat(details).join(" ");
    }, function () { return String(response.status); });
  }

  function send(item) {
    return fetch(item.url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": token(),
        "Idempotency-Key": item.key
      },
      body: JSON.stringify(item.body)
    });
  }

  function sync() {
    if (syncing) { return Promise.resolve(); }
    syncing = true;
    return refresh().then(function (online) {
      if (!online) { return render(); }
      return box.all().then(function (items) {
        var pending = items.filter(function (i) { return i.state === "pending"; });
        if (pending.length) { message(T.sending); }
        var refusedNow = 0;
        var chain = Promise.resolve(true);
        pending.forEach(function (item) {
          chain = chain.then(function (go) {
            if (!go) { return false; }
            return send(item).then(function (response) {
              if (response.ok) { return box.remove(item.seq).then(function () { return true; }); }
              var status = response.status;
              if (status === 401 || status === 403) { message(T.session); return false; }
              if (status >= 500 || status === 429 || status === 408) { message(T.server_down); return false; }
              return response.clone().json().catch(function () { return {}; }).then(function (body) {
                if (body && body.error && body.error.code === "idempotency_in_progress") { return false; }
                return reasonOf(response).then(function (reason) {
                  refusedNow += 1;
                  item.state = "refused";
                  item.reason = reason;
                  item.status = status;
                  return box.put(item).then(function () { return true; });
                });
              });
            }, function () { message(T.server_down); return false; });
          });
        });
        return chain.then(function (done) {
          if (done && refusedNow) { message(fill(T.refused_some, { n: refusedNow })); }
          else if (done) { message(pending.length ? T.all_sent : ""); }
          return render();
        });
      });
    }).then(function () { syncing = false; }, function () { syncing = false; });
  }

  function queue(item) {
    return box.add(item).then(function () {
      message(T.kept);
      return render();
    }).then(function () { if (navigator.onLine) { return sync(); } return undefined; });
  }

  // ---- recording ------------------------------------------------------------------------
  function placeLabel(id) {
    var found = (ref ? ref.places : []).filter(function (p) { return p.id === id; })[0];
    return found ? found.name : "";
  }

  function startRound(form) {
    var zone = form.zone.value, place = form.place.value;
    if (!zone && !place) { return; }
    var id = box.newKey();
    var label = place ? placeLabel(place) : form.zone.options[form.zone.selectedIndex].text;
    var startedAt = new Date().toISOString();
    rounds[team()] = { id: id, label: label, started_at: startedAt, contacts: 0 };
    var body = { team: team(), id: id, started_at: startedAt };
    if (zone) { body.zone = zone; }
    if (place) { body.place = place; }
    return saveRounds().then(function () {
      return queue({ kind: "round_start", team: team(), url: API + "/rounds", body: body, label: label });
    });
  }

  function recordContact(form) {
    var current = rounds[team()];
    if (!current) { return; }
    var code = normalise(form.code.value);
    var body = { purposes: $$("[name=purposes]:checked", form).map(function (i) { return i.value; }), at: new Date().toISOString() };
    if (code) { body.code = code; } else { body.anonymous = true; body.is_new = form.is_new.checked; }
    if (form.place.value) { body.place = form.place.value; }
    var material = $$("[data-item]", form).filter(function (i) { return Number(i.value) > 0; }).map(function (i) {
      return { item: i.dataset.item, quantity: Number(i.value) };
    });
    if (material.length) { body.material = material; }
    current.contacts += 1;
    form.reset();
    form.place.value = body.place || "";
    $("[data-code-hint]").textContent = "";
    return saveRounds().then(function () {
      return queue({ kind: "contact", team: team(), round: current.id, url: API + "/rounds/" + current.id + "/contacts", body: body });
    });
  }

  function endRound() {
    var current = rounds[team()];
    if (!current || !window.confirm(T.end_confirm)) { return; }
    rounds[team()] = null;
    return saveRounds().then(function () {
      return queue({ kind: "round_end", team: team(), round: current.id, url: API + "/rounds/" + current.id + "/end", body: { ended_at: new Date().toISOString() }, label: current.label });
    });
  }

  function recordCount(form) {
    var body = { team: team(), place: form.place.value, count: Number(form.count.value), counted_at: new Date().toISOString() };
    form.count.value = "";
    return queue({ kind: "head_count", team: team(), url: API + "/head-counts", body: body, label: placeLabel(body.place) });
  }

  function recordPickup(form) {
    var body = { team: team(), item: form.item.value, place_kind: form.place_kind.value, count: Number(form.count.value), found_at: new Date().toISOString() };
    var where = form.place.value;
    var label = "";
    if (where === "__here" && position) {
      body.lon = position.lon; body.lat = position.lat; label = T.your_position;
    } else if (where) {
      var place = ref.places.filter(function (p) { return p.id === where; })[0];
      if (place) { body.lon = place.lon; body.lat = place.lat; label = place.name; }
    }
    if (body.lon === undefined) {
      if (!form.address.value.trim()) { message(T.no_position); return; }
      body.address = form.address.value.trim(); label = body.address;
    }
    form.count.value = "";
    form.address.value = "";
    return queue({ kind: "pickup", team: team(), url: API + "/pickups", body: body, label: form.item.options[form.item.selectedIndex].text + " · " + label });
  }

  function codeHint(input) {
    var code = normalise(input.value), hint = $("[data-code-hint]");
    if (!code) { hint.textContent = ""; return; }
    if (code.length !== 12) { hint.textContent = T.code_invalid; return; }
    hint.textContent = codes && codes.expires > Date.now() && codes.codes.has(code) ? T.code_known : T.code_unknown;
  }

  // ---- the outbox on screen -------------------------------------------------------------
  function describe(item) {
    var when = new Date(item.created).toLocaleTimeString("fr-FR", TIME);
    var what;
    if (item.kind === "contact") {
      what = item.body.code ? fill(T.contact, { code: item.body.code }) : T.contact_anonymous;
    } else if (item.kind === "head_count") {
      what = fill(T.head_count, { n: item.body.count }) + " · " + (item.label || "");
    } else if (item.kind === "pickup") {
      what = fill(T.pickup, { n: item.body.count }) + " · " + (item.label || "");
    } else {
      what = T[item.kind] + (item.label ? " · " + item.label : "");
    }
    return when + " · " + what;
  }

  function correction(item) {
    var form = el("form", { "class": "row correction", "data-correct": String(item.seq) });
    if (item.kind === "contact") {
      form.appendChild(el("label", {}, [document.createTextNode(T.code_label + " "), el("input", { name: "code", type: "text", value: item.body.code || "", autocomplete: "off" })]));
      var anon = el("input", { type: "checkbox", name: "anonymous" });
      if (!item.body.code) { anon.checked = true; }
      form.appendChild(el("label", { "class": "check" }, [anon, document.createTextNode(" " + T.make_anonymous)]));
    } else if (item.kind === "head_count" || item.kind === "pickup") {
      form.appendChild(el("label", {}, [document.createTextNode(T.count_label + " "), el("input", { name: "count", type: "number", min: "0", max: "2000", value: String(item.body.count) })]));
    }
    var editable = item.kind === "contact" || item.kind === "head_count" || item.kind === "pickup";
    form.appendChild(el("button", { type: "submit", "class": "btn btn-primary", text: editable ? T.correct : T.resend }));
    form.appendChild(el("button", { type: "button", "class": "btn", "data-drop": String(item.seq), text: T.drop }));
    return form;
  }

  function corrected(item, form) {
    var body = JSON.parse(JSON.stringify(item.body));
    if (item.kind === "contact") {
      var code = normalise(form.code.value);
      delete body.code; delete body.anonymous;
      if (code && !form.anonymous.checked) { body.code = code; } else { body.anonymous = true; }
    } else if (item.kind === "head_count" || item.kind === "pickup") {
      body.count = Number(form.count.value);
    }
    // A new key: the refusal stays attached to the old one (the server replays it).
    return box.remove(item.seq).then(function () {
      return box.add({ kind: item.kind, team: item.team, round: item.round, url: item.url, body: body, label: item.label });
    }).then(render).then(function () { if (navigator.onLine) { return sync(); } return undefined; });
  }

  function render() {
    return box.all().then(function (items) {
      var pending = items.filter(function (i) { return i.state === "pending"; });
      var refused = items.filter(function (i) { return i.state === "refused"; });
      var net = $("[data-network]");
      net.textContent = navigator.onLine ? T.online : T.offline;
      net.className = "badge " + (navigator.onLine ? "open" : "warn");
      $("[data-pending-text]").textContent = fill(T.pending, { n: pending.length });
      $("[data-refreshed]").textContent = ref ? new Date(ref.fetched_at).toLocaleString("fr-FR", STAMP) : T.never;
      var list = $("[data-pending]");
      list.textContent = "";
      pending.forEach(function (item) { list.appendChild(el("li", { "data-item-kind": item.kind, text: describe(item) })); });
      var rlist = $("[data-refused]");
      rlist.textContent = "";
      refused.forEach(function (item) {
        rlist.appendChild(el("li", { "class": "refused-item", "data-refused-item": item.kind }, [
          el("p", { text: describe(item) }),
          el("p", { "class": "error", "data-reason": "", text: T.reason + " " + item.reason }),
          correction(item)
        ]));
      });
      $("[data-refused-section]").hidden = refused.length === 0;
      if (codes && codes.expires <= Date.now()) { codes = null; box.drop("codes"); }
      renderTeams();
      renderWhereFrom();
      renderAlerts();
    });
  }

  function options(select, rows, blank) {
    var value = select.value;
    select.textContent = "";
    if (blank) { select.appendChild(el("option", { value: "", text: "—" })); }
    rows.forEach(function (r) { select.appendChild(el("option", { value: r.id, text: r.name })); });
    if (value) { select.value = value; }
  }

  function renderTeams() {
    var teams = ref ? ref.teams : [];
    $("[data-no-team]").hidden = !ref || teams.length > 0;
    $("[data-team-section]").hidden = teams.length === 0;
    if (!teams.length) { return; }
    var select = $("[data-team]");
    if (select.options.length !== teams.length) { options(select, teams, false); }
    $$("[data-places]").forEach(function (s) { if (s.options.length <= 1) { options(s, ref.places, !s.required); } });
    var current = rounds[team()];
    $("[data-round-start]").hidden = !!current;
    $("[data-round-current]").hidden = !current;
    if (current) {
      $("[data-round-label]").textContent = current.label + " · " + new Date(current.started_at).toLocaleTimeString("fr-FR", TIME);
      $("[data-round-contacts]").textContent = String(current.contacts);
    }
  }

  function renderWhereFrom() {
    $$("[data-places-where]").forEach(function (from) {
      if (ref && from.options.length <= 1) { options(from, ref.places, true); }
    });
  }

  function renderAlerts() {
    var now = Date.now();
    var shown = (alerts ? alerts.alerts : []).filter(function (a) {
      return Date.parse(a.valid_until) > now && !a.withdrawn_at && alerts.read.indexOf(a.id) < 0;
    });
    var list = $("[data-alerts]");
    list.textContent = "";
    shown.forEach(function (a) {
      list.appendChild(el("li", { "class": "alert-item", "data-alert": a.id }, [
        el("p", {}, [el("span", { "class": "badge warn", text: a.severity }), document.createTextNode(" "), el("strong", { text: a.title })]),
        a.looks_like ? el("p", { text: a.looks_like }) : null,
        a.seen_in ? el("p", { "class": "meta", text: a.seen_in }) : null,
        a.advice ? el("p", { text: a.advice }) : null,
        el("p", { "class": "meta", text: fill(T.alert_until, { t: new Date(a.valid_until).toLocaleString("fr-FR", STAMP) }) }),
        el("button", { type: "button", "class": "btn", "data-ack": a.id, text: T.alert_read })
      ]));
    });
    $("[data-alerts-section]").hidden = shown.length === 0;
  }

  function acknowledge(id) {
    alerts.read.push(id);
    var found = alerts.alerts.filter(function (a) { return a.id === id; })[0];
    return box.set("alerts", alerts).then(function () {
      return queue({ kind: "alert_ack", team: null, url: API + "/alerts/" + id + "/acknowledge", body: {}, label: found ? found.title : "" });
    });
  }

  function fetchAlerts() {
    // The alerts in force not yet acknowledged: kept to be read offline (no person in them).
    return fetch(API + "/alerts/current", { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (!body) { return undefined; }
        var read = (alerts ? alerts.read : []).filter(function (id) {
          return body.alerts.some(function (a) { return a.id === id; });
        });
        alerts = { alerts: body.alerts, checked_at: body.checked_at, read: read };
        return box.set("alerts", alerts);
      }, function () { return undefined; });
  }

  // ---- where can this person go, from the kept hours ------------------------------------
  function walking(lon1, lat1, lon2, lat2) {
    var rad = Math.PI / 180, R = 6371008.8;
    var dphi = (lat2 - lat1) * rad, dl = (lon2 - lon1) * rad;
    var h = Math.pow(Math.sin(dphi / 2), 2) + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.pow(Math.sin(dl / 2), 2);
    var metres = 2 * R * Math.asin(Math.min(1, Math.sqrt(h))) * 1.3;
    return { m: Math.round(metres), minutes: Math.max(1, Math.round(metres / (ref.walking_kmh * 1000 / 60))) };
  }

  function firstOpening(site, start, end) {
    // The opening in force at ``start`` or the first to begin before ``end``.
    var best = null;
    site.openings.forEach(function (o) {
      var s = Date.parse(o[0]), e = Date.parse(o[1]);
      if (s <= start && start < e) {
        if (!best || best.at !== null || e > best.until) { best = { at: null, until: e, women: o[2] }; }
      } else if (s > start && s < end && (!best || (best.at !== null && s < best.at))) {
        best = { at: s, until: e, women: o[2] };
      }
    });
    return best;
  }

  function where(form) {
    var out = $("[data-where-results]");
    out.textContent = "";
    if (!ref) { out.appendChild(el("p", { "class": "note", text: T.no_data })); return; }
    var from = form.from.value === "__here" ? position : null;
    if (!from && form.from.value) {
      var place = ref.places.filter(function (p) { return p.id === form.from.value; })[0];
      from = place ? { lon: place.lon, lat: place.lat } : null;
    }
    if (!from) { out.appendChild(el("p", { "class": "error", text: T.no_position })); return; }
    var need = (form.querySelector("[name=need]:checked") || {}).value;
    var route = (form.querySelector("[name=route]:checked") || {}).value;
    if (need === "consumption" && !route) { out.appendChild(el("p", { "class": "error", text: T.route_needed })); return; }
    var sex = (form.querySelector("[name=sex]:checked") || {}).value;
    var year = Number(form.birth_year.value) || null;
    var max = Number((form.querySelector("[name=max_minutes]:checked") || {}).value || 30);
    var now = Date.now(), start = now, end = now + 1000;
    if ((form.querySelector("[name=when]:checked") || {}).value === "tonight") {
      var night = ref.nights.filter(function (n) { return Date.parse(n[1]) > now; })[0];
      if (night) { start = Math.max(now, Date.parse(night[0])); end = Date.parse(night[1]); }
    }
    var age = year ? new Date().getFullYear() - year : null;
    var options = [];
    ref.sites.forEach(function (site) {
      var offered = site.offers[need];
      if (need === "consumption" ? offered.indexOf(route) < 0 : !offered) { return; }
      var opening = firstOpening(site, start, end);
      if (!opening) { return; }
      if (sex !== "woman" && (site.women_only || opening.women)) { return; }
      if (age !== null && (site.adults_only || need === "consumption") && age < 18) { return; }
      var w = walking(from.lon, from.lat, site.lon, site.lat);
      options.push({ site: site, opening: opening, m: w.m, minutes: w.minutes });
    });
    options.sort(function (a, b) { return a.minutes - b.minutes || a.m - b.m || a.site.name.localeCompare(b.site.name); });
    var reachable = options.filter(function (o) { return o.minutes <= max; });
    if (reachable.length) {
      out.appendChild(el("h3", { text: fill(T.found, { n: reachable.length, m: max }) }));
      out.appendChild(cards(reachable, false, max));
    } else {
      out.appendChild(el("p", { "class": "note nothing-fits", "data-nothing-fits": "", text: fill(T.nothing, { m: max }) }));
      if (options.length) {
        out.appendChild(el("h3", { text: T.nearest }));
        out.appendChild(cards(options.slice(0, 1), true, max));
      }
    }
    out.appendChild(el("p", { "class": "meta", text: T.room_unknown }));
  }

  function cards(rows, fallback, max) {
    var list = el("ul", { "class": "cards where-cards" });
    rows.forEach(function (o) {
      var d = o.m >= 1000 ? (o.m / 1000).toFixed(1).replace(".", ",") + " km" : o.m + " m";
      var state = o.opening.at === null
        ? fill(T.open_until, { t: new Date(o.opening.until).toLocaleTimeString("fr-FR", TIME) })
        : fill(T.opens_at, { t: new Date(o.opening.at).toLocaleTimeString("fr-FR", TIME) });
      list.appendChild(el("li", { "class": "site-card where-card " + (fallback ? "is-fallback" : "is-open"), "data-place": "" }, [
        el("h3", { text: o.site.name }),
        el("p", { "class": "big-figure", text: fill(T.walk, { m: o.minutes, d: d }) }),
        fallback ? el("p", { "class": "badge warn", text: fill(T.beyond, { m: max }) }) : null,
        el("p", { text: state }),
        el("p", { "class": "meta", text: o.site.address + (o.site.area ? " · " + o.site.area : "") }),
        el("div", { "class": "actions" }, [el("a", { "class": "btn btn-primary btn-big", href: "geo:" + o.site.lat + "," + o.site.lon + "?q=" + o.site.lat + "," + o.site.lon, text: T.go })])
      ]));
    });
    return list;
  }

  // ---- wiring ---------------------------------------------------------------------------
  function on(form, handler) {
    var f = $("[data-form=" + form + "]");
    f.addEventListener("submit", function (event) { event.preventDefault(); handler(f); });
  }
  on("round-start", startRound);
  on("contact", recordContact);
  on("head-count", recordCount);
  on("pickup", recordPickup);
  on("where", where);
  $("[data-round-end]").addEventListener("click", endRound);
  $("[data-team]").addEventListener("change", renderTeams);
  $("[data-sync]").addEventListener("click", sync);
  $("#field-code").addEventListener("input", function (event) { codeHint(event.target); });
  $("[data-refused]").addEventListener("submit", function (event) {
    event.preventDefault();
    var seq = Number(event.target.dataset.correct);
    box.all().then(function (items) {
      var item = items.filter(function (i) { return i.seq === seq; })[0];
      if (item) { corrected(item, event.target); }
    });
  });
  $("[data-refused]").addEventListener("click", function (event) {
    var seq = event.target.dataset && event.target.dataset.drop;
    if (!seq || !window.confirm(T.drop_confirm)) { return; }
    box.remove(Number(seq)).then(render);
  });
  $$("[data-locate]").forEach(function (button) {
    if (!("geolocation" in navigator)) { button.hidden = true; return; }
    button.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        position = { lon: pos.coords.longitude, lat: pos.coords.latitude };
        var select = button.closest("form").querySelector("[data-places-where]");
        if (!select.querySelector("option[value=__here]")) {
          select.insertBefore(el("option", { value: "__here", text: T.your_position }), select.firstChild);
        }
        select.value = "__here";
      }, function () { return null; }, { enableHighAccuracy: true, timeout: 15000 });
    });
  });
  $("[data-alerts]").addEventListener("click", function (event) {
    var id = event.target.dataset && event.target.dataset.ack;
    if (id) { acknowledge(id); }
  });
  window.addEventListener("online", sync);
  window.addEventListener("offline", render);
  $("[data-needs-js]").hidden = true;
  if (location.pathname !== root.dataset.shell) {
    $("[data-offline-page]").hidden = false;
    if (/\/ou-aller\/$/.test(location.pathname)) { $("#ou-aller").scrollIntoView(); }
  }
  load().then(render).then(function () { if (navigator.onLine) { return sync(); } return undefined; });
})();
