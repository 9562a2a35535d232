// alignwatch dashboard: reads the public API only (/v1/...), like any other client.
// No build step and no network beyond this origin (the page's CSP allows 'self' only).
// This module holds the state (pair, domain, period, interval; kept in the URL's hash),
// loads what the panels show and wires the controls.

import { AuthNeeded, KEY_STORAGE, api, apiFetch, apiUrl, readKey } from "./api.js";
import { renderChart, resizeChart } from "./chart.js";
import { DOMAINS, changeClass, domainName, fmtChange, fmtValue, h, isoDay } from "./format.js";
import { explainRow, renderAlerts, renderCurrent, renderFeeds, renderItems } from "./panels.js";

const PERIOD_YEARS = { "1y": 1, "3y": 3, "5y": 5, all: null };
const ITEMS_SHOWN = 5;
const ALERTS_SHOWN = 6;
const EXPLAIN_PAGE = 15;

const $ = (id) => document.getElementById(id);

const state = {
  pair: null,
  domain: "overall",
  period: "all",
  interval: "week",
  index: null,
  series: [],
  explainCursor: null,
  explainWindow: null,
  loadToken: 0,
};

function setStatus(text, kind = "info") {
  const el = $("status");
  el.textContent = text || "";
  el.dataset.kind = kind;
}

// ---------------------------------------------------------------- controls and URL state

function readUrlState() {
  const params = new URLSearchParams(location.hash.slice(1));
  if (params.get("pair")) state.pair = params.get("pair");
  if (DOMAINS[params.get("domain")] || params.get("domain") === "overall") state.domain = params.get("domain");
  if (params.get("period") in PERIOD_YEARS) state.period = params.get("period");
  if (["day", "week", "month"].includes(params.get("interval"))) state.interval = params.get("interval");
}

function writeUrlState() {
  const params = new URLSearchParams();
  if (state.pair) params.set("pair", state.pair);
  params.set("domain", state.domain);
  params.set("period", state.period);
  params.set("interval", state.interval);
  history.replaceState(null, "", `#${params}`);
}

function syncControls() {
  $("domain").value = state.domain;
  $("period").value = state.period;
  $("interval").value = state.interval;
  $("forget-key").hidden = !readKey();
}

function setPairs(pairs) {
  const select = $("pair");
  const unique = [...new Set(pairs.filter(Boolean))].sort();
  const current = [...select.options].map((o) => o.value);
  if (unique.join() !== current.join()) {
    select.replaceChildren(...unique.map((p) => h("option", { value: p }, p.replace("-", "–"))));
  }
  select.value = state.pair;
}

/** The series' start, or null for all of it: the period counted back from the index's day. */
function periodStart(asOf) {
  const years = PERIOD_YEARS[state.period];
  if (!years || !asOf) return null;
  const d = new Date(`${asOf}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return isoDay(d);
}

function historyParams(domain = state.domain) {
  return {
    pair: state.pair,
    domain: domain === "overall" ? null : domain,
    from: periodStart(state.index?.as_of),
    interval: state.interval,
  };
}

function updateCsvLink() {
  const link = $("csv-link");
  link.href = apiUrl("/v1/index/history", { ...historyParams(), format: "csv" });
  link.setAttribute("download", `alignwatch-${state.pair}-${state.domain}-${state.interval}.csv`);
}

// ---------------------------------------------------------------- loading

async function fetchSeries(domain) {
  const points = [];
  let cursor = null;
  do {
    const page = await api("/v1/index/history", { ...historyParams(domain), limit: 5000, cursor });
    points.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return points;
}

/** Every pair the API tells us about: the default pair, feeds.yml's pairs, alerts' pairs. */
function knownPairs(index, feeds, alerts) {
  const pairs = [index.pair, state.pair];
  const configured = feeds?.config?.pairs;
  if (Array.isArray(configured)) {
    pairs.push(...configured.map((p) => (typeof p === "string" ? p : `${p[0]}-${p[1]}`)));
  }
  for (const alert of alerts?.items || []) pairs.push(alert.pair);
  return pairs;
}

async function loadAll() {
  const token = ++state.loadToken;
  setStatus("Loading…");
  document.body.dataset.state = "loading";
  try {
    const index = await api("/v1/index", { pair: state.pair });
    if (token !== state.loadToken) return;
    state.pair = index.pair;
    state.index = index;
    writeUrlState();
    updateCsvLink();
    const itemParams = { pair: state.pair, relevant: true, limit: ITEMS_SHOWN,
                         domain: state.domain === "overall" ? null : state.domain };
    const [series, overall, diverging, converging, feeds, alerts] = await Promise.all([
      fetchSeries(state.domain),
      state.domain === "overall" ? Promise.resolve(null) : fetchSeries("overall"),
      api("/v1/items", { ...itemParams, stance: "diverging" }),
      api("/v1/items", { ...itemParams, stance: "converging" }),
      api("/v1/feeds"),
      api("/v1/alerts", { pair: state.pair, limit: ALERTS_SHOWN }),
    ]);
    if (token !== state.loadToken) return;
    hideKeyPanel();
    setPairs(knownPairs(index, feeds, alerts));
    state.series = series;
    renderCurrent(index, state.domain, selectDomain);
    renderChart($("chart"), series, overall, {
      label: domainName(state.domain), interval: state.interval,
      onExplain: (from, to) => explain(state.series[from].date, state.series[to].date),
    });
    $("chart").dataset.domain = state.domain;
    $("legend-overall").hidden = !overall;
    renderItems($("diverging-items"), diverging.items, "diverging");
    renderItems($("converging-items"), converging.items, "converging");
    renderFeeds(feeds);
    renderAlerts(alerts.items);
    syncControls();
    setStatus("");
    document.body.dataset.state = "ready";
    if (series.length >= 2) {
      await explain(series[0].date, series[series.length - 1].date);
    } else {
      renderExplainEmpty("Not enough history in this period to explain a change.");
    }
  } catch (error) {
    if (token !== state.loadToken) return;
    document.body.dataset.state = "error";
    if (error instanceof AuthNeeded) {
      showKeyPanel(error);
      setStatus("");
    } else {
      setStatus(`Could not load the dashboard: ${error.message}`, "error");
    }
  }
}

// ---------------------------------------------------------------- read key

function showKeyPanel(error) {
  const hadKey = Boolean(readKey());
  $("key-panel").hidden = false;
  $("main").setAttribute("aria-hidden", "true");
  $("main").classList.add("locked");
  const message = $("key-message");
  if (hadKey) {
    message.textContent = error.status === 403
      ? `That key cannot read: ${error.message}. Enter a key with the read scope.`
      : `That key was refused: ${error.message}. Enter another read key.`;
    message.dataset.kind = "error";
  }
  $("key-input").focus();
}

function hideKeyPanel() {
  $("key-panel").hidden = true;
  $("main").removeAttribute("aria-hidden");
  $("main").classList.remove("locked");
}

// ---------------------------------------------------------------- current value
function selectDomain(domain) {
  state.domain = domain;
  syncControls();
  loadAll();
}
// ---------------------------------------------------------------- explain

function renderExplainEmpty(text) {
  $("explain-summary").textContent = text;
  $("explain-list").replaceChildren();
  $("explain-more").hidden = true;
}

async function explain(from, to, more = false) {
  if (!more) {
    state.explainWindow = { from, to };
    state.explainCursor = null;
    $("explain-from").value = from;
    $("explain-to").value = to;
  }
  const { from: start, to: end } = state.explainWindow;
  if (start >= end) {
    renderExplainEmpty("Choose a start before the end.");
    return;
  }
  const token = state.loadToken;
  const list = $("explain-list");
  list.setAttribute("aria-busy", "true");
  try {
    const page = await api("/v1/index/explain", {
      pair: state.pair, from: start, to: end, limit: EXPLAIN_PAGE, cursor: state.explainCursor,
      domain: state.domain === "overall" ? null : state.domain,
    });
    if (token !== state.loadToken || state.explainWindow.from !== start || state.explainWindow.to !== end) return;
    const summary = $("explain-summary");
    summary.replaceChildren(
      `${domainName(page.domain)} from ${page.from} to ${page.to}: `,
      h("strong", {}, `${fmtValue(page.value_from)} → ${fmtValue(page.value_to)}`),
      " (", h("span", { class: changeClass(page.change), dataset: { testid: "explain-change" } },
        fmtChange(page.change, 2)), `), from ${page.events_total} event${page.events_total === 1 ? "" : "s"}; `
        + `contributions sum to ${fmtChange(page.sum_of_contributions, 2)}.`,
    );
    summary.dataset.change = page.change;
    const rows = page.items.map((entry) => explainRow(entry));
    if (more) list.append(...rows);
    else list.replaceChildren(...rows);
    if (!more && !rows.length) list.append(h("li", { class: "empty" }, "No event moved the index in this window."));
    state.explainCursor = page.next_cursor;
    $("explain-more").hidden = !page.next_cursor;
  } catch (error) {
    if (error instanceof AuthNeeded) showKeyPanel(error);
    else renderExplainEmpty(`Could not explain this window: ${error.message}`);
  } finally {
    list.removeAttribute("aria-busy");
  }
}
// ---------------------------------------------------------------- CSV download

async function downloadCsv(event) {
  const key = readKey();
  if (!key) return; // public reads: the browser follows the link itself
  event.preventDefault();
  const link = event.currentTarget;
  try {
    const response = await apiFetch(link.getAttribute("href"));
    if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
    const url = URL.createObjectURL(await response.blob());
    const anchor = h("a", { href: url, download: link.getAttribute("download") });
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (error) {
    if (error instanceof AuthNeeded) showKeyPanel(error);
    else setStatus(`Could not download the CSV: ${error.message}`, "error");
  }
}

// ---------------------------------------------------------------- wiring

function onControlsChange(event) {
  const { name, value } = event.target;
  if (!["pair", "domain", "period", "interval"].includes(name)) return;
  state[name] = value;
  loadAll();
}

function start() {
  readUrlState();
  syncControls();
  $("controls").addEventListener("change", onControlsChange);
  $("controls").addEventListener("submit", (e) => e.preventDefault());
  $("csv-link").addEventListener("click", downloadCsv);
  $("key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const key = $("key-input").value.trim();
    if (!key) return;
    sessionStorage.setItem(KEY_STORAGE, key);
    $("key-input").value = "";
    loadAll();
  });
  $("forget-key").addEventListener("click", () => {
    sessionStorage.removeItem(KEY_STORAGE);
    location.reload();
  });
  $("explain-form").addEventListener("submit", (event) => {
    event.preventDefault();
    explain($("explain-from").value, $("explain-to").value);
  });
  $("explain-more").addEventListener("click", () => {
    if (state.explainWindow) explain(state.explainWindow.from, state.explainWindow.to, true);
  });
  let resizeFrame = 0;
  new ResizeObserver(() => {
    cancelAnimationFrame(resizeFrame);
    resizeFrame = requestAnimationFrame(() => {
      resizeChart($("chart"));
    });
  }).observe($("chart"));
  loadAll();
}

start();
