// The Unsubscribes page. Vanilla JS, no build step; talks to this API with the signed-in token.
// Everything user-supplied is written with textContent (never innerHTML).
/* global document, Node, fetch, sessionStorage, URLSearchParams, setTimeout, clearTimeout -- a browser script */
"use strict";

const STORAGE_KEY = "optout.session";
const PAGE_SIZE = 25;
const CHANNEL_LABELS = { sms: "SMS", email: "Email" };
const ACTION_LABELS = { opt_out: "Opted out", opt_in: "Opted in" };
const STATUS_LABELS = { opted_out: "Opted out", opted_in: "Opted in", none: "Not on the list" };
/** Days in the opt-out chart, today (UTC) included. */
const STATS_DAYS = 30;
const SVG_NS = "http://www.w3.org/2000/svg";
/** What an erasure leaves instead of an identifier: a keyed hash, not something to show or look up. */
const ERASED_PATTERN = /^erased:[0-9a-f]{64}$/;

const $ = (id) => document.getElementById(id);

const state = {
  session: null, // {token, accountId, kind, types, permissions}
  channel: "",
  action: "",
  next: null,
  loaded: 0,
  revealAll: false,
};

// ---- small DOM helpers ---------------------------------------------------------------------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function show(node, visible) {
  node.hidden = !visible;
}

function showError(node, message) {
  node.textContent = message || "";
  show(node, Boolean(message));
}

// ---- formatting ----------------------------------------------------------------------------

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

function formatDate(iso) {
  return iso ? dateTime.format(new Date(iso)) : "";
}

function formatAgo(iso) {
  const seconds = (Date.parse(iso) - Date.now()) / 1000;
  const abs = Math.abs(seconds);
  if (abs < 45) return "just now";
  if (abs < 3600) return relative.format(Math.round(seconds / 60), "minute");
  if (abs < 86400) return relative.format(Math.round(seconds / 3600), "hour");
  if (abs < 86400 * 30) return relative.format(Math.round(seconds / 86400), "day");
  return formatDate(iso);
}

/** "+31612345678" -> "+316 •••• 5678"; "jane.doe@example.com" -> "j•••@example.com". */
function mask(channel, identifier) {
  if (channel === "email") {
    const at = identifier.lastIndexOf("@");
    if (at <= 0) return "•••";
    return `${identifier[0]}•••${identifier.slice(at)}`;
  }
  if (identifier.length <= 7) return "•".repeat(identifier.length);
  return `${identifier.slice(0, 4)} •••• ${identifier.slice(-4)}`;
}

// Sources, reasons and international domains as people read them: display.js.
function reasonText(reason, source) {
  return globalThis.optoutDisplay.reasonLabel(reason, source);
}

function sourceText(source) {
  return globalThis.optoutDisplay.sourceLabel(source);
}

/** An identifier shown masked until clicked (or until "Show full identifiers" is on). */
function identifierCell(channel, identifier) {
  if (ERASED_PATTERN.test(identifier))
    return el("span", {
      class: "identifier erased",
      title: "Erased at the recipient's request",
      text: "Erased",
    });
  // An international domain in Unicode; the stored (punycode) form stays in the tooltip.
  const shown = globalThis.optoutDisplay.displayIdentifier(channel, identifier);
  const button = el("button", {
    type: "button",
    class: "identifier",
    title: shown === identifier ? "Click to show or hide" : `Stored as ${identifier}. Click to show or hide`,
    "data-identifier": identifier,
    "data-channel": channel,
  });
  const render = () => {
    const revealed = state.revealAll || button.dataset.revealed === "1";
    button.textContent = revealed ? shown : mask(channel, shown);
    button.classList.toggle("masked", !revealed);
    button.setAttribute("aria-label", revealed ? shown : "Masked identifier, click to reveal");
  };
  button.addEventListener("click", (event) => {
    event.stopPropagation();
    button.dataset.revealed = button.dataset.revealed === "1" ? "0" : "1";
    render();
  });
  button.render = render;
  render();
  return button;
}

function rerenderIdentifiers() {
  for (const node of document.querySelectorAll("button.identifier")) node.render?.();
}

function badge(kind, text) {
  return el("span", { class: `badge badge-${kind}`, text });
}

// ---- API -----------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function api(path, token = state.session?.token) {
  let res;
  try {
    res = await fetch(path, { headers: { authorization: `Bearer ${token}`, accept: "application/json" } });
  } catch {
    throw new ApiError(0, "NETWORK", "The server cannot be reached. Check your connection and try again.");
  }
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    const message = body?.error?.message || `The server answered ${res.status}.`;
    throw new ApiError(res.status, body?.error?.code || "HTTP", message);
  }
  return body;
}

function accountPath(suffix) {
  return `/v1/accounts/${encodeURIComponent(state.session.accountId)}${suffix}`;
}

/** A 401 means the token stopped working (revoked): back to the sign-in form. */
function handleFailure(err, target) {
  if (err instanceof ApiError && err.status === 401) {
    signOut("Your token is no longer valid (it may have been revoked). Sign in again.");
    return;
  }
  showError(target, err.message);
}

// ---- session -------------------------------------------------------------------------------

function saveSession(session) {
  state.session = session;
  if (session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(STORAGE_KEY);
}

function loadSession() {
  try {
    const session = JSON.parse(sessionStorage.getItem(STORAGE_KEY) || "null");
    return session && typeof session.token === "string" && typeof session.accountId === "string"
      ? session
      : null;
  } catch {
    return null;
  }
}

async function signIn(event) {
  event.preventDefault();
  const token = $("token").value.trim();
  const accountField = $("account").value.trim();
  const error = $("signin-error");
  showError(error, "");
  if (!token) return showError(error, "Paste an API token.");
  const submit = $("signin-submit");
  submit.disabled = true;
  submit.textContent = "Signing in…";
  try {
    const me = await api("/v1/me", token).catch((err) => {
      if (err.status === 401)
        throw new ApiError(401, err.code, "This token is not valid, or it has been revoked.");
      throw err;
    });
    let accountId = me.accountId;
    if (me.kind === "admin" && !accountField) {
      accountId = await firstAccount(token);
    } else if (me.kind === "admin") {
      await api(`/v1/accounts/${encodeURIComponent(accountField)}`, token).catch((err) => {
        if (err.status === 404 || err.status === 400)
          throw new ApiError(404, err.code, `There is no account “${accountField}”.`);
        throw err;
      });
      accountId = accountField;
    } else if (!me.permissions.includes("read")) {
      throw new ApiError(
        403,
        "FORBIDDEN",
        "This token cannot read (it has write permission only). Use a token with read permission.",
      );
    }
    $("token").value = "";
    saveSession({ token, accountId, kind: me.kind, types: me.types, permissions: me.permissions });
    enterApp();
  } catch (err) {
    showError(error, err.message);
  } finally {
    submit.disabled = false;
    submit.textContent = "Sign in";
  }
}

function signOut(message) {
  saveSession(null);
  state.channel = "";
  state.action = "";
  state.revealAll = false;
  $("reveal-all").checked = false;
  $("search").value = "";
  closeDetail();
  showError($("app-error"), "");
  show($("session"), false);
  show($("app-view"), false);
  show($("signin-view"), true);
  showError($("signin-error"), message || "");
  $("token").focus();
}

// ---- recent activity -----------------------------------------------------------------------

function renderChannelFilter() {
  const group = $("channel-filter");
  group.replaceChildren();
  const channels = state.session.types;
  const options =
    channels.length > 1
      ? [["", "All channels"], ...channels.map((c) => [c, CHANNEL_LABELS[c] || c])]
      : channels.map((c) => [c, CHANNEL_LABELS[c] || c]);
  if (channels.length === 1) state.channel = channels[0];
  for (const [value, label] of options) {
    group.append(
      el("button", {
        type: "button",
        "data-value": value,
        "aria-pressed": String(value === state.channel),
        text: label,
      }),
    );
  }
}

function setPressed(group, value) {
  for (const button of group.querySelectorAll("button"))
    button.setAttribute("aria-pressed", String(button.dataset.value === value));
}

function eventRow(event) {
  const row = el(
    "tr",
    { class: "clickable", tabindex: "0", title: "Show the full history" },
    el(
      "td",
      { class: "nowrap", title: formatDate(event.occurredAt) },
      el("span", { text: formatAgo(event.occurredAt) }),
    ),
    el("td", {}, identifierCell(event.channel, event.identifier)),
    el("td", {}, badge("neutral", CHANNEL_LABELS[event.channel] || event.channel)),
    el(
      "td",
      {},
      badge(event.action === "opt_out" ? "out" : "in", ACTION_LABELS[event.action] || event.action),
    ),
    el("td", { text: sourceText(event.source) }),
    el("td", {
      class: reasonText(event.reason, event.source) ? "reason" : "reason muted",
      text: reasonText(event.reason, event.source) || "—",
    }),
    el("td", { class: "muted", text: event.accountId }),
  );
  row.dataset.occurredAt = event.occurredAt;
  // An erased recipient has no history to open (it is kept under the hash, without details).
  if (ERASED_PATTERN.test(event.identifier)) {
    row.classList.remove("clickable");
    row.removeAttribute("tabindex");
    row.removeAttribute("title");
    return row;
  }
  const open = () => openIdentifier(event.channel, event.identifier);
  row.addEventListener("click", open);
  row.addEventListener("keydown", (e) => {
    if (e.key === "Enter") open();
  });
  return row;
}

/**
 * Rows newest first by when each event happened (occurredAt), not when it was recorded: an
 * import of old opt-outs or a late webhook lands among the events of its own time. Pages come
 * in recorded order, so each row is put in its place among those loaded.
 */
function insertByTime(body, row, occurredAt) {
  const at = Date.parse(occurredAt);
  const later = [...body.children].find((r) => Date.parse(r.dataset.occurredAt) < at);
  body.insertBefore(row, later ?? null);
}

async function loadEvents(reset) {
  const body = $("events-body");
  const error = $("app-error");
  // Filters clicked in quick succession start several loads; only the newest may fill the
  // table (an older answer arriving last would add its rows to the newer filter's).
  if (reset) state.loadGeneration = (state.loadGeneration ?? 0) + 1;
  const generation = state.loadGeneration;
  if (reset) {
    state.next = null;
    state.loaded = 0;
    body.replaceChildren();
    show($("events-empty"), false);
  }
  show($("events-loading"), true);
  show($("load-more"), false);
  showError(error, "");
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (state.channel) params.set("channel", state.channel);
  if (state.action) params.set("action", state.action);
  if (!reset && state.next) params.set("before", state.next);
  try {
    const page = await api(accountPath(`/events?${params}`));
    if (generation !== state.loadGeneration) return;
    for (const event of page.items) insertByTime(body, eventRow(event), event.occurredAt);
    state.loaded += page.items.length;
    state.next = page.next;
    if (state.loaded === 0) {
      const filtered = Boolean(state.action) || (Boolean(state.channel) && state.session.types.length > 1);
      $("events-empty-title").textContent = filtered ? "Nothing matches these filters" : "No activity yet";
      $("events-empty-text").textContent = filtered
        ? "Try another channel or action, or search a number or address above."
        : "When recipients reply STOP, click an opt-out link or unsubscribe from an email, it shows up here.";
    }
    show($("events-empty"), state.loaded === 0);
    show($("events-table"), state.loaded > 0);
    show($("events-foot"), state.loaded > 0);
    show($("load-more"), page.hasMore);
    $("events-count").textContent = state.loaded
      ? `${state.loaded} event${state.loaded === 1 ? "" : "s"} shown`
      : "";
  } catch (err) {
    if (generation === state.loadGeneration) handleFailure(err, error);
  } finally {
    if (generation === state.loadGeneration) show($("events-loading"), false);
  }
}

// ---- opt-outs per day ----------------------------------------------------------------------

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
  for (const child of children) node.append(child);
  return node;
}

/** The UTC dates of the chart, oldest first ("2026-03-01"). */
function chartDays(now = new Date()) {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: STATS_DAYS }, (_, i) =>
    new Date(today - (STATS_DAYS - 1 - i) * 86400000).toISOString().slice(0, 10),
  );
}

/** An inline SVG bar chart (no library, nothing loaded from elsewhere): one bar per day. */
function renderChart(days, counts) {
  const width = 640;
  const height = 160;
  const top = 16;
  const bottom = 22;
  const slot = width / days.length;
  const max = Math.max(1, ...days.map((d) => counts.get(d) || 0));
  const total = days.reduce((sum, d) => sum + (counts.get(d) || 0), 0);
  const chart = svg("svg", {
    class: "bar-chart",
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    "aria-label": `${total} opt-out${total === 1 ? "" : "s"} in the last ${days.length} days`,
    "data-total": total,
  });
  chart.append(svg("line", { class: "axis", x1: 0, x2: width, y1: height - bottom, y2: height - bottom }));
  chart.append(svg("text", { class: "chart-label", x: 2, y: 11 }, document.createTextNode(`max ${max}`)));
  days.forEach((day, i) => {
    const count = counts.get(day) || 0;
    const barHeight = ((height - top - bottom) * count) / max;
    const bar = svg(
      "rect",
      {
        class: count ? "bar" : "bar bar-empty",
        x: (i * slot + slot * 0.15).toFixed(1),
        y: (height - bottom - Math.max(barHeight, 1)).toFixed(1),
        width: (slot * 0.7).toFixed(1),
        height: Math.max(barHeight, 1).toFixed(1),
        rx: 2,
        "data-day": day,
        "data-count": count,
      },
      svg("title", {}, document.createTextNode(`${day}: ${count} opt-out${count === 1 ? "" : "s"}`)),
    );
    chart.append(bar);
    // A date under every 7th bar and the last; the first and last aligned inside the chart.
    const last = i === days.length - 1;
    if ((i % 7 === 0 && i < days.length - 4) || last)
      chart.append(
        svg(
          "text",
          {
            class: "chart-label",
            x: i === 0 ? 0 : last ? width : (i * slot + slot / 2).toFixed(1),
            y: height - 6,
            "text-anchor": i === 0 ? "start" : last ? "end" : "middle",
          },
          document.createTextNode(day.slice(5)),
        ),
      );
  });
  $("stats-chart").replaceChildren(chart);
  const channel = state.channel ? CHANNEL_LABELS[state.channel] || state.channel : "every channel";
  $("stats-summary").textContent =
    `${total} opt-out${total === 1 ? "" : "s"} in the last ${days.length} days (UTC), ${channel}.`;
}

async function loadStats() {
  const days = chartDays();
  const params = new URLSearchParams({
    from: `${days[0]}T00:00:00Z`,
    to: new Date(Date.parse(`${days[days.length - 1]}T00:00:00Z`) + 86400000).toISOString(),
    groupBy: "day",
  });
  if (state.channel) params.set("channel", state.channel);
  try {
    const stats = await api(accountPath(`/stats/optouts?${params}`));
    renderChart(days, new Map(stats.items.map((item) => [item.day, item.optOuts])));
  } catch (err) {
    handleFailure(err, $("app-error"));
  }
}

// ---- one identifier ------------------------------------------------------------------------

function guessChannel(query) {
  return query.includes("@") ? "email" : "sms";
}

function evidenceText(entry) {
  const evidence = entry.evidence || {};
  if (typeof evidence.text === "string") return `Message: “${evidence.text}”`;
  if (typeof evidence.userAgent === "string" && evidence.userAgent) return `Browser: ${evidence.userAgent}`;
  if (typeof evidence.listId === "string") return `List: ${evidence.listId}`;
  return "";
}

function renderDetail(channel, current, history) {
  const detail = $("detail");
  const status = current.status;
  const statusKind = status === "opted_out" ? "out" : status === "opted_in" ? "in" : "neutral";
  const head = el(
    "div",
    { class: "detail-head" },
    el(
      "div",
      {},
      el("p", { class: "eyebrow", text: channel === "email" ? "Email address" : "Phone number" }),
      el("h2", { class: "detail-title" }, identifierCell(channel, current.identifier)),
    ),
    el("button", {
      type: "button",
      class: "btn btn-ghost",
      id: "close-detail",
      onclick: closeDetail,
      text: "Close",
    }),
  );
  const summary = el(
    "div",
    { class: "status-line" },
    badge(statusKind, STATUS_LABELS[status] || status),
    current.since ? el("span", { class: "muted", text: `since ${formatDate(current.since)}` }) : null,
    current.source ? el("span", { class: "muted", text: `· ${sourceText(current.source)}` }) : null,
    current.erased ? el("span", { class: "muted", text: "· data erased at the recipient's request" }) : null,
  );
  let timeline;
  if (history.length === 0) {
    timeline = el(
      "div",
      { class: "empty compact" },
      el("p", { class: "empty-title", text: "No opt-out recorded" }),
      el("p", {
        class: "muted",
        text: "This recipient has never opted out or back in on this list, so messages to it are not suppressed.",
      }),
    );
  } else {
    timeline = el("ol", { class: "timeline", "aria-label": "History, oldest first" });
    // By when each event happened, whatever order they were recorded in.
    const byTime = [...history].sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
    for (const entry of byTime) {
      const evidence = evidenceText(entry);
      timeline.append(
        el(
          "li",
          { class: `timeline-item ${entry.action === "opt_out" ? "is-out" : "is-in"}` },
          el("span", { class: "dot", "aria-hidden": "true" }),
          el(
            "div",
            { class: "timeline-body" },
            el(
              "div",
              { class: "timeline-title" },
              el("strong", { text: ACTION_LABELS[entry.action] || entry.action }),
              el("span", { class: "muted", text: ` via ${sourceText(entry.source)}` }),
              el("time", {
                class: "muted timeline-time",
                datetime: entry.occurredAt,
                text: formatDate(entry.occurredAt),
              }),
            ),
            reasonText(entry.reason, entry.source)
              ? el("div", {
                  class: "timeline-reason",
                  text: `Reason: ${reasonText(entry.reason, entry.source)}`,
                })
              : null,
            evidence ? el("div", { class: "timeline-evidence", text: evidence }) : null,
            el("div", { class: "timeline-meta muted", text: `Account ${entry.accountId}` }),
          ),
        ),
      );
    }
  }
  detail.replaceChildren(
    head,
    summary,
    el("h3", {
      class: "section-title",
      text: history.length
        ? `History (${history.length} event${history.length === 1 ? "" : "s"})`
        : "History",
    }),
    timeline,
  );
  show(detail, true);
  detail.scrollIntoView({ block: "nearest" });
}

async function openIdentifier(channel, raw) {
  const error = $("app-error");
  showError(error, "");
  if (!state.session.types.includes(channel)) {
    showError(error, `This token cannot read ${CHANNEL_LABELS[channel] || channel} lists.`);
    return;
  }
  const base = accountPath(`/optouts/${encodeURIComponent(channel)}/${encodeURIComponent(raw)}`);
  try {
    const [current, history] = await Promise.all([api(base), api(`${base}/history`)]);
    renderDetail(channel, current, history.items);
  } catch (err) {
    if (err instanceof ApiError && err.status === 400) {
      showError(
        error,
        channel === "email"
          ? `“${raw}” is not a valid email address.`
          : `“${raw}” is not a valid phone number. Use international format, e.g. +31 6 1234 5678.`,
      );
      return;
    }
    handleFailure(err, error);
  }
}

function closeDetail() {
  show($("detail"), false);
  $("detail").replaceChildren();
}

async function search(event) {
  event.preventDefault();
  const query = $("search").value.trim();
  if (!query) {
    showError($("app-error"), "Type a phone number or an email address to search.");
    return;
  }
  await openIdentifier(guessChannel(query), query);
}

// ---- account picker (admin token) ----------------------------------------------------------

const PICKER_SIZE = 50;
/** The characters of an account id: anything else cannot start one (and the API would say 400). */
const ACCOUNT_PREFIX = /^[A-Za-z0-9._:-]{0,128}$/;

/** The admin token signed in without naming an account: the first one, in id order. */
async function firstAccount(token) {
  const page = await api("/v1/accounts?limit=1", token);
  if (page.items.length === 0)
    throw new ApiError(
      404,
      "ACCOUNT",
      "There are no accounts yet: create one first (PUT /v1/accounts/{id}).",
    );
  return page.items[0].id;
}

/** Fill the picker with the accounts whose id starts with the filter (the current one always listed). */
async function loadAccountOptions() {
  const select = $("account-select");
  const prefix = $("account-filter").value.trim();
  const current = state.session.accountId;
  let page = { items: [], hasMore: false };
  if (ACCOUNT_PREFIX.test(prefix)) {
    const params = new URLSearchParams({ limit: String(PICKER_SIZE) });
    if (prefix) params.set("prefix", prefix);
    try {
      page = await api(`/v1/accounts?${params}`);
    } catch (err) {
      handleFailure(err, $("app-error"));
      return;
    }
  }
  const ids = page.items.map((a) => a.id);
  if (!ids.includes(current)) ids.unshift(current);
  const options = ids.map((id) => el("option", { value: id, text: id, selected: id === current }));
  if (page.items.length === 0 && prefix)
    options.push(el("option", { disabled: true, text: `No account starts with “${prefix}”` }));
  if (page.hasMore) options.push(el("option", { disabled: true, text: "More accounts: type to narrow" }));
  select.replaceChildren(...options);
}

function switchAccount(accountId) {
  if (!accountId || accountId === state.session.accountId) return;
  saveSession({ ...state.session, accountId });
  enterApp();
}

function setUpAccountPicker() {
  const admin = state.session.kind === "admin";
  show($("account-picker"), admin);
  if (admin) loadAccountOptions();
}

let pickerTimer;
function wireAccountPicker() {
  $("account-picker").addEventListener("submit", (e) => e.preventDefault());
  $("account-filter").addEventListener("input", () => {
    clearTimeout(pickerTimer);
    pickerTimer = setTimeout(loadAccountOptions, 200);
  });
  $("account-select").addEventListener("change", (e) => switchAccount(e.target.value));
}

// ---- wiring --------------------------------------------------------------------------------

function enterApp() {
  const session = state.session;
  show($("signin-view"), false);
  show($("app-view"), true);
  show($("session"), true);
  $("account-chip").textContent = session.accountId;
  const grant = `${session.types.map((t) => CHANNEL_LABELS[t] || t).join(" + ")} · ${session.kind === "admin" ? "admin" : session.permissions.join(", ")}`;
  $("grant-chip").textContent = grant;
  $("scope-line").textContent = `Account ${session.accountId} — who opted out, when, and why.`;
  closeDetail();
  renderChannelFilter();
  setPressed($("action-filter"), state.action);
  loadStats();
  setUpAccountPicker();
  loadEvents(true);
}

document.addEventListener("DOMContentLoaded", () => {
  $("signin-form").addEventListener("submit", signIn);
  $("sign-out").addEventListener("click", () => signOut());
  $("search-form").addEventListener("submit", search);
  wireAccountPicker();
  $("load-more").addEventListener("click", () => loadEvents(false));
  $("reveal-all").addEventListener("change", (e) => {
    state.revealAll = e.target.checked;
    rerenderIdentifiers();
  });
  $("channel-filter").addEventListener("click", (e) => {
    const button = e.target.closest("button");
    if (!button) return;
    state.channel = button.dataset.value;
    setPressed($("channel-filter"), state.channel);
    loadStats();
    loadEvents(true);
  });
  $("action-filter").addEventListener("click", (e) => {
    const button = e.target.closest("button");
    if (!button) return;
    state.action = button.dataset.value;
    setPressed($("action-filter"), state.action);
    loadEvents(true);
  });
  const session = loadSession();
  if (session) {
    state.session = session;
    enterApp();
  } else {
    signOut();
  }
});
