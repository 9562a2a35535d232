// The panels around the chart: current value, explanation rows, items, feeds, alerts.
// Each renders one API response into its element; text is never parsed as HTML.

import {
  changeClass, domainName, evidenceList, fmtChange, fmtDate, fmtTime, fmtValue, h, sourceLink, stanceBadge,
} from "./format.js";

const $ = (id) => document.getElementById(id);

/** The current value of ``domain`` ("overall" or one domain); ``onSelect(domain)`` charts another. */
export function renderCurrent(index, domain, onSelect) {
  const scoped = domain === "overall" ? index : index.domains.find((d) => d.domain === domain);
  const value = scoped ?? index;
  $("current-value").textContent = fmtValue(value.value);
  $("current-value").dataset.value = value.value;
  $("current-scope").textContent = `${index.pair.replace("-", "–")} · ${domainName(domain)}`;
  $("current-as-of").textContent = index.as_of;
  $("current-as-of").setAttribute("datetime", index.as_of);
  $("current-provisional").hidden = !index.provisional;
  $("current-band").textContent = `${fmtValue(value.band.low)}–${fmtValue(value.band.high)}`;
  for (const span of ["7d", "30d", "90d"]) {
    const el = $(`change-${span}`);
    const change = value.change?.[span];
    el.textContent = fmtChange(change);
    el.className = change === null || change === undefined ? "" : changeClass(change);
  }
  $("domain-rows").replaceChildren(...index.domains.map((d) => {
    const selected = d.domain === domain;
    const change = d.change?.["30d"];
    return h("tr", { class: selected ? "selected" : null, dataset: { domain: d.domain } },
      h("th", { scope: "row" },
        h("button", { type: "button", class: "link", "aria-pressed": selected ? "true" : "false",
                      onclick: () => onSelect(selected ? "overall" : d.domain) },
          domainName(d.domain))),
      h("td", { class: "num" }, fmtValue(d.value)),
      h("td", { class: "num band" }, `${fmtValue(d.band.low)}–${fmtValue(d.band.high)}`),
      h("td", { class: `num ${change === null || change === undefined ? "" : changeClass(change)}` },
        fmtChange(change)));
  }));
}

export function explainRow(entry) {
  const event = entry.event;
  const labels = event.classification || {};
  return h("li", { class: "event", dataset: { testid: "explain-item", ref: event.ref } },
    h("span", { class: `contribution ${changeClass(entry.contribution)}`,
                title: `jump ${fmtChange(entry.jump, 3)}, drift ${fmtChange(entry.drift, 3)}` },
      fmtChange(entry.contribution, 2)),
    h("div", { class: "body" },
      sourceLink(event.title, event.link),
      h("p", { class: "meta" },
        h("time", { datetime: event.date }, event.date), " · ", labels.actor || "–", " · ",
        domainName(labels.domain), " · ", stanceBadge(labels.stance),
        labels.confidence === undefined ? null : ` · confidence ${Number(labels.confidence).toFixed(2)}`,
        event.source ? ` · ${event.source}` : null),
      evidenceList(event.evidence)));
}

export function renderItems(list, items, stance) {
  if (!items.length) {
    list.replaceChildren(h("li", { class: "empty" }, `No ${stance} items yet.`));
    return;
  }
  list.replaceChildren(...items.map((item) => {
    const c = item.classification;
    const labels = c?.labels || {};
    return h("li", { class: "item", dataset: { testid: "item", itemId: item.id } },
      sourceLink(item.title, item.link),
      h("p", { class: "meta" },
        h("time", { datetime: item.published_at }, fmtDate(item.published_at)), " · ",
        h("span", { dataset: { testid: "item-actor" } }, labels.actor || "–"), " · ",
        h("span", { dataset: { testid: "item-domain" } }, domainName(labels.domain)), " · ",
        h("span", { dataset: { testid: "item-confidence" } },
          `confidence ${c ? c.confidence.toFixed(2) : "–"}`),
        c?.source === "analyst" ? " · analyst" : null),
      evidenceList(c?.evidence));
  }));
}

export function renderFeeds(page) {
  const config = page.config;
  const banner = $("feeds-config");
  banner.hidden = !config?.error;
  banner.textContent = config?.error ? `feeds.yml is not in force: ${config.error}` : "";
  $("feed-rows").replaceChildren(...page.items.map((feed) => {
    const health = feed.health;
    const error = health.last_error_at
      ? [h("time", { datetime: health.last_error_at }, fmtTime(health.last_error_at)),
         h("br"), h("span", { class: "error-text" },
           [health.last_error_kind, health.last_error_message].filter(Boolean).join(": "))]
      : "–";
    return h("tr", { dataset: { testid: "feed-row", feedId: feed.id } },
      h("th", { scope: "row" }, h("span", { class: "feed-name" }, feed.name),
        h("span", { class: "feed-id" }, `${feed.id} · ${feed.country} · ${feed.kind.replace("_", " ")}`)),
      h("td", {}, h("span", { class: `badge status-${health.status}`, dataset: { testid: "feed-status" } },
        health.status)),
      h("td", {}, h("time", { datetime: health.last_success_at }, fmtTime(health.last_success_at))),
      h("td", {}, error),
      h("td", {}, feed.enabled ? h("time", { datetime: health.next_poll_at }, fmtTime(health.next_poll_at))
                               : "not polled"),
      h("td", { class: "num", dataset: { testid: "feed-items" } }, health.items_total));
  }));
  if (!page.items.length) {
    $("feed-rows").append(h("tr", {}, h("td", { colspan: 6, class: "empty" }, "No feeds configured.")));
  }
}

export function renderAlerts(alerts) {
  const list = $("alert-list");
  if (!alerts.length) {
    list.replaceChildren(h("li", { class: "empty" }, "No alerts."));
    return;
  }
  list.replaceChildren(...alerts.map((alert) => {
    const item = alert.data?.item;
    return h("li", { class: "alert", dataset: { testid: "alert", alertId: alert.id } },
      h("span", { class: `badge kind ${alert.stance || alert.kind.split(".")[1] || ""}` }, alert.kind),
      item ? sourceLink(alert.title, item.link) : h("span", { class: "title" }, alert.title),
      h("p", { class: "meta" }, h("time", { datetime: alert.created_at }, fmtTime(alert.created_at)),
        alert.domain ? ` · ${domainName(alert.domain)}` : null,
        alert.confidence === null ? null : ` · confidence ${alert.confidence.toFixed(2)}`));
  }));
}
