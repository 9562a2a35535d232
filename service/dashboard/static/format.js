// Formatting and element building for the dashboard; no network, no state.

export const DOMAINS = {
  export_controls: "Export controls",
  investment_screening: "Investment screening",
  industrial_policy: "Industrial policy",
  supply_chain: "Supply chain",
  trade_policy: "Trade policy",
  sanctions: "Sanctions",
  tech_security: "Tech security",
  cooperation: "Cooperation",
};

/** Build an element: h("a", {href, class}, "text", child). Text is never parsed as HTML. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") el.className = value;
    else if (name === "dataset") Object.assign(el.dataset, value);
    else if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Only http(s) links from feeds become clickable: never javascript: or data:. */
export function safeUrl(url) {
  if (!url) return null;
  try {
    const parsed = new URL(url, location.href);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

export function sourceLink(title, url) {
  const href = safeUrl(url);
  if (!href) return h("span", { class: "title" }, title);
  return h("a", { class: "title", href, target: "_blank", rel: "noopener noreferrer" }, title);
}

export const fmtValue = (v) => (v === null || v === undefined ? "–" : Number(v).toFixed(1));
export function fmtChange(v, digits = 1) {
  if (v === null || v === undefined) return "–";
  const text = Math.abs(v).toFixed(digits);
  if (Number(text) === 0) return `±${text}`;
  return (v > 0 ? "+" : "−") + text;
}
export const changeClass = (v) => (v > 0.05 ? "up" : v < -0.05 ? "down" : "flat");
/** UTC, ISO 8601, to the second: 2026-11-28T04:50:52Z. */
export function fmtTime(iso) {
  if (!iso) return "–";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toISOString().replace(/\.\d+Z$/, "Z");
}
export const fmtDate = (iso) => (iso ? String(iso).slice(0, 10) : "–");
export const domainName = (d) => DOMAINS[d] || (d === "overall" ? "Overall" : d ? d.replaceAll("_", " ") : "–");
export const isoDay = (date) => date.toISOString().slice(0, 10);
export const dayToSeconds = (iso) => Date.parse(`${iso}T00:00:00Z`) / 1000;

export function stanceBadge(stance) {
  return h("span", { class: `badge ${stance || "neutral"}` }, stance || "–");
}

/** The reasons worth reading: the domain's cue phrases, the stance rule, China cues, an
 * analyst's note; not the relevance and actor bookkeeping, which repeat them. */
export function evidenceList(evidence) {
  const shown = (evidence || []).filter((e) => e.detail && e.weight !== 0
                                               && !["relevant", "actor"].includes(e.field));
  const seen = new Set();
  const unique = shown.filter((e) => {
    const key = `${e.feature}|${e.detail}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }).slice(0, 4);
  if (!unique.length) return null;
  return h("ul", { class: "evidence", "aria-label": "Evidence" },
    unique.map((e) => h("li", {}, h("span", { class: "field" }, e.field), " ", e.detail)));
}
