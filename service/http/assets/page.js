// The analyst page: sends the article to POST /v1/briefs as a stream of server-sent events,
// shows the progress, then the brief beside its source with every grounded item highlighted.
// Plain script, no build step and nothing fetched from elsewhere: it works air-gapped.
"use strict";

const KEY_STORAGE = "brief-api-key";
const STAGES = ["finding", "selecting", "writing", "grounding", "translating"];

const $ = (id) => document.getElementById(id);
// `fields`: the brief's lists of sentences (key points, agreements, …) with their labels, as
// the service declares them (GET /v1/fields), fetched before the first brief.
const page = { brief: null, source: "", controller: null, fields: null };

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (name === "dataset") Object.assign(node.dataset, value);
    else if (name === "className") node.className = value;
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child);
  return node;
}

// --- The API key: session storage only, sent as a header. ---------------------------------

function apiKey() {
  return sessionStorage.getItem(KEY_STORAGE) || "";
}

function headers(extra) {
  const all = { ...extra };
  if (apiKey()) all.Authorization = "Bearer " + apiKey();
  return all;
}

// --- Errors in words a person understands. -------------------------------------------------

function describeError(status, error, retryAfter) {
  const message = (error && error.message) || "";
  const code = (error && error.code) || "";
  switch (status) {
    case 401:
      return "This service needs an API key. Enter it under “Options and API key” and try again.";
    case 408:
      return "The article took too long to arrive. Check the connection and try again.";
    case 413:
      return "The article is too long for this service. " + message;
    case 415:
      return "The service cannot read this kind of input. " + message;
    case 422:
    case 400:
      return "The service could not use this input: " + message;
    case 429:
      return "The service is busy with other briefs. Try again in " +
        (retryAfter ? retryAfter + " seconds." : "a moment.");
    case 499:
      return "The brief was stopped.";
    case 502:
      return "The model's answer could not be used: " + message;
    case 503:
      if (code === "loading" || /still loading/.test(message)) {
        return "The model is still loading. Try again in a minute.";
      }
      return "The model is not available right now: " + message;
    case 504:
      return "The brief was not ready in time. A shorter article, or a less busy moment, helps.";
    default:
      return "Something went wrong (" + (status || "no answer") + ")" +
        (message ? ": " + message : ".");
  }
}

async function errorFromResponse(response) {
  let error = null;
  try {
    error = (await response.json()).error;
  } catch (_) {
    error = null;
  }
  return describeError(response.status, error, response.headers.get("Retry-After"));
}

function showError(text) {
  const box = $("error");
  box.textContent = text;
  box.hidden = false;
  if (/API key/.test(text)) {
    $("options").open = true;
    $("api-key").focus();
  }
}

function clearError() {
  $("error").hidden = true;
  $("error").textContent = "";
}

// --- Progress. ---------------------------------------------------------------------------

function showProgress(text, step) {
  $("progress").hidden = false;
  $("progress-text").textContent = text;
  const bar = $("progress-bar");
  if (step === undefined) bar.removeAttribute("value");
  else bar.value = step;
}

function describeProgress(p) {
  const words = p.message.charAt(0).toUpperCase() + p.message.slice(1);
  const parts = [];
  if (p.stage === "writing" && p.parts > 1) {
    parts.push("part " + Math.min(p.parts_done + 1, p.parts) + " of " + p.parts);
  }
  if (p.stage === "writing" && p.tokens > 0) parts.push(p.tokens + " tokens written");
  parts.push(p.elapsed_s.toFixed(0) + " s");
  return words + " (" + parts.join(", ") + ")";
}

function setBusy(busy) {
  $("brief-it").disabled = busy;
  $("cancel").disabled = !busy;
}

// --- Server-sent events over fetch (EventSource cannot POST). -----------------------------

async function* serverSentEvents(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    // Normalize line ends, but keep a trailing "\r": its "\n" may be in the next chunk.
    const cut = buffer.endsWith("\r") ? buffer.length - 1 : buffer.length;
    buffer = buffer.slice(0, cut).replace(/\r\n?/g, "\n") + buffer.slice(cut);
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (!line || line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        let content = colon < 0 ? "" : line.slice(colon + 1);
        if (content.startsWith(" ")) content = content.slice(1);
        if (field === "event") event = content;
        else if (field === "data") data.push(content);
      }
      if (data.length) yield { event, data: data.join("\n") };
    }
  }
}

// --- Briefing. ---------------------------------------------------------------------------

// The brief's sentence fields, asked once; null (the reason shown) when the service refuses.
async function sentenceFields() {
  if (page.fields) return page.fields;
  const response = await fetch("/v1/fields", { headers: headers() });
  if (!response.ok) {
    showError(await errorFromResponse(response));
    return null;
  }
  page.fields = (await response.json()).sentence_fields;
  return page.fields;
}

function requestBody() {
  const text = $("article").value;
  const body = $("is-html").checked ? { html: text } : { text };
  const title = $("title").value.trim();
  if (title) body.title = title;
  if ($("published").value) body.published = $("published").value;
  body.language = $("language").value;
  return body;
}

async function briefIt(event) {
  event.preventDefault();
  clearError();
  const body = requestBody();
  const controller = new AbortController();
  page.controller = controller;
  setBusy(true);
  showProgress("Sending the article…", 0);
  try {
    if (!(await sentenceFields())) {
      $("progress").hidden = true;
      return;
    }
    const response = await fetch("/v1/briefs", {
      method: "POST",
      headers: headers({ "Content-Type": "application/json", Accept: "text/event-stream" }),
      body: JSON.stringify(body),
      signal: controller.signal,
    });
    if (!response.ok) {
      $("progress").hidden = true;
      showError(await errorFromResponse(response));
      return;
    }
    showProgress("Reading the article…", 0);
    let finished = false;
    for await (const message of serverSentEvents(response)) {
      const data = JSON.parse(message.data);
      if (message.event === "progress") {
        showProgress(describeProgress(data), Math.min(4, STAGES.indexOf(data.stage) + 1));
      } else if (message.event === "brief") {
        finished = true;
        showBrief(data, body.html === undefined ? body.text : data.source_text || "");
        showProgress("Done in " + (data.meta.latency_ms / 1000).toFixed(1) + " s.", 4);
      } else if (message.event === "error") {
        finished = true;
        $("progress").hidden = true;
        showError(describeError(data.status, data.error));
      }
    }
    if (!finished) {
      $("progress").hidden = true;
      showError("The connection closed before the brief was ready. Try again.");
    }
  } catch (error) {
    $("progress").hidden = true;
    if (error.name === "AbortError") showProgress("Cancelled: the brief was stopped.", 0);
    else if (error instanceof SyntaxError) showError("The service's answer could not be read. Try again.");
    else showError("The service could not be reached. Is it running?");
  } finally {
    page.controller = null;
    setBusy(false);
  }
}

function cancelBrief() {
  if (page.controller) page.controller.abort();
}

// --- The brief. --------------------------------------------------------------------------

function itemButton(text, item) {
  return el("button", { type: "button", className: "item", dataset: { item }, text });
}

function section(title, content) {
  return el("section", { className: "part" }, el("h3", { text: title }), content);
}

function listOf(field, items, withSpans) {
  const list = el("ul");
  items.forEach((text, i) => {
    const item = field + "[" + i + "]";
    list.append(el("li", {}, withSpans.has(item) ? itemButton(text, item) : text));
  });
  return list;
}

function participantsTable(participants) {
  const table = el("table", { className: "participants" });
  table.append(el("thead", {}, el("tr", {},
    el("th", { scope: "col", text: "Name" }), el("th", { scope: "col", text: "Title" }),
    el("th", { scope: "col", text: "Country" }))));
  const body = el("tbody");
  participants.forEach((p, i) => {
    const country = el("td", { text: p.country || "—" });
    if (p.country && p.country_inferred) {
      country.append(el("abbr", {
        className: "inferred", title: "inferred, not stated beside the name",
        "aria-label": "inferred", text: " *",
      }));
    }
    body.append(el("tr", {},
      el("td", {}, itemButton(p.name, "participants[" + i + "]")),
      el("td", { text: p.title || "—" }), country));
  });
  table.append(body);
  return table;
}

function quotesList(quotes) {
  const list = el("ul", { className: "quotes" });
  quotes.forEach((q, i) => {
    const button = itemButton("“" + q.text + "”", "quotes[" + i + "]");
    const line = el("li", {}, button, el("span", { className: "speaker",
      text: " — " + (q.speaker || "unattributed") }));
    if (q.translation) line.append(el("span", { className: "translation", text: " (" + q.translation + ")" }));
    list.append(line);
  });
  return list;
}

function showBrief(brief, source) {
  page.brief = brief;
  page.source = source;
  const spans = sourceSpans(brief, source);
  const withSpans = new Set(spans.map((s) => s.item));
  $("headline").textContent = brief.headline;
  const e = brief.event;
  $("event-line").textContent = [
    e.type, e.date || "date not stated", e.location || "place not stated", "tone: " + brief.tone,
  ].join(" · ");
  $("summary").textContent = brief.summary;
  const body = $("brief-body");
  body.replaceChildren();
  for (const { name, label } of page.fields) {
    const items = brief[name] || [];
    if (items.length) body.append(section(label, listOf(name, items, withSpans)));
  }
  if (brief.participants.length) body.append(section("Participants", participantsTable(brief.participants)));
  if (brief.countries.length) body.append(section("Countries", el("p", { text: brief.countries.join(", ") })));
  if (brief.topics.length) {
    const topics = el("ul", { className: "topics" });
    for (const topic of brief.topics) topics.append(el("li", { text: topic }));
    body.append(section("Topics", topics));
  }
  if (brief.quotes.length) body.append(section("Quotes", quotesList(brief.quotes)));
  if (brief.meta.warnings.length) body.append(section("Warnings", listOf("warnings", brief.meta.warnings, new Set())));
  const meta = brief.meta;
  body.append(el("p", { className: "meta", text: meta.model + " · " + meta.input_tokens + " tokens in, " +
    meta.output_tokens + " out · read " + meta.read_sentences + " of " + meta.total_sentences + " sentences" }));
  renderSource(source, spans);
  $("result").hidden = false;
}

// --- The source, highlighted. ------------------------------------------------------------

// The API's offsets count Unicode code points; JavaScript strings count UTF-16 units.
function codePointToUnit(text) {
  const units = [];
  let unit = 0;
  for (const ch of text) {
    units.push(unit);
    unit += ch.length;
  }
  units.push(unit);
  return (offset) => units[Math.max(0, Math.min(offset, units.length - 1))];
}

function nameSpans(text, name, item) {
  // A participant is grounded in the text: its name, or failing that its last word, is there.
  const spans = [];
  for (const form of [name, name.split(/\s+/).pop()]) {
    if (!form || form.length < 3) continue;
    let at = text.indexOf(form);
    while (at >= 0) {
      spans.push({ start: at, end: at + form.length, item });
      at = text.indexOf(form, at + form.length);
    }
    if (spans.length) break;
  }
  return spans;
}

function sourceSpans(brief, text) {
  const unit = codePointToUnit(text);
  const spans = [];
  for (const e of brief.evidence) spans.push({ start: unit(e.start), end: unit(e.end), item: e.field });
  brief.quotes.forEach((q, i) => spans.push({ start: unit(q.start), end: unit(q.end), item: "quotes[" + i + "]" }));
  brief.participants.forEach((p, i) => spans.push(...nameSpans(text, p.name, "participants[" + i + "]")));
  return spans.filter((s) => s.end > s.start && s.end <= text.length);
}

function itemLabel(item) {
  const match = /^(\w+)\[(\d+)\]$/.exec(item);
  if (!match) return item;
  const names = { quotes: "quote", participants: "participant" };
  for (const field of page.fields) names[field.name] = field.item;
  return (names[match[1]] || match[1]) + " " + (Number(match[2]) + 1);
}

function renderSource(text, spans) {
  const box = $("source-text");
  box.replaceChildren();
  const cuts = new Set([0, text.length]);
  for (const s of spans) {
    cuts.add(s.start);
    cuts.add(s.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  for (let i = 0; i + 1 < points.length; i++) {
    const [start, end] = [points[i], points[i + 1]];
    const piece = text.slice(start, end);
    const items = [...new Set(spans.filter((s) => s.start <= start && s.end >= end).map((s) => s.item))];
    if (!items.length) {
      box.append(piece);
      continue;
    }
    box.append(el("mark", {
      dataset: { items: items.join(" ") },
      title: "Supports: " + items.map(itemLabel).join(", "),
      text: piece,
    }));
  }
}

function marksOf(item) {
  return [...document.querySelectorAll("#source-text mark")]
    .filter((mark) => mark.dataset.items.split(" ").includes(item));
}

function showItem(item) {
  for (const mark of document.querySelectorAll("#source-text mark.active")) mark.classList.remove("active");
  for (const button of document.querySelectorAll("#brief-body .item.current")) button.classList.remove("current");
  const marks = marksOf(item);
  for (const mark of marks) mark.classList.add("active");
  const button = document.querySelector('#brief-body .item[data-item="' + item + '"]');
  if (button) button.classList.add("current");
  if (marks.length) marks[0].scrollIntoView({ block: "center", behavior: "smooth" });
}

function linkItems(mark, on) {
  for (const item of mark.dataset.items.split(" ")) {
    const button = document.querySelector('#brief-body .item[data-item="' + item + '"]');
    if (button) button.classList.toggle("linked", on);
  }
}

// --- Copy and download. ------------------------------------------------------------------

async function copyMarkdown() {
  const status = $("toolbar-status");
  let response;
  try {
    response = await fetch("/v1/render/markdown", {
      method: "POST", headers: headers({ "Content-Type": "application/json" }),
      body: JSON.stringify(page.brief),
    });
  } catch (_) {
    status.textContent = "The service could not be reached to make the Markdown.";
    return;
  }
  if (!response.ok) {
    status.textContent = await errorFromResponse(response);
    return;
  }
  const markdown = await response.text();
  try {
    await navigator.clipboard.writeText(markdown);
  } catch (_) {
    // Not a secure context (a plain-HTTP address other than localhost): the old way.
    const area = el("textarea", { className: "offscreen" });
    area.value = markdown;
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  status.textContent = "Copied as Markdown.";
}

function downloadJson() {
  const blob = new Blob([JSON.stringify(page.brief, null, 2)], { type: "application/json" });
  const link = el("a", { href: URL.createObjectURL(blob), download: page.brief.id + ".json" });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  $("toolbar-status").textContent = "Downloaded " + page.brief.id + ".json.";
}

// --- The model's state, the file input, the wiring. --------------------------------------

async function watchModel() {
  const status = $("model-status");
  try {
    const response = await fetch("/readyz");
    if (response.ok) {
      status.textContent = "Model ready.";
      status.className = "model-status ready";
      return;
    }
    const error = (await response.json()).error || {};
    status.textContent = error.code === "loading" ? "The model is loading…" : "Model not available: " + error.message;
    status.className = "model-status waiting";
  } catch (_) {
    status.textContent = "The service does not answer.";
    status.className = "model-status waiting";
  }
  setTimeout(watchModel, 3000);
}

async function openFile() {
  const file = $("file").files[0];
  if (!file) return;
  const text = await file.text();
  $("article").value = text;
  $("is-html").checked = /\.html?$/i.test(file.name) || /^\s*</.test(text);
}

function start() {
  $("api-key").value = apiKey();
  $("api-key").addEventListener("input", () => {
    const key = $("api-key").value.trim();
    if (key) sessionStorage.setItem(KEY_STORAGE, key);
    else sessionStorage.removeItem(KEY_STORAGE);
  });
  $("brief-form").addEventListener("submit", briefIt);
  $("cancel").addEventListener("click", cancelBrief);
  $("file").addEventListener("change", openFile);
  $("copy-markdown").addEventListener("click", copyMarkdown);
  $("download-json").addEventListener("click", downloadJson);
  $("brief-body").addEventListener("click", (event) => {
    const button = event.target.closest(".item");
    if (button) showItem(button.dataset.item);
  });
  const source = $("source-text");
  source.addEventListener("mouseover", (event) => {
    const mark = event.target.closest("mark");
    if (mark) linkItems(mark, true);
  });
  source.addEventListener("mouseout", (event) => {
    const mark = event.target.closest("mark");
    if (mark) linkItems(mark, false);
  });
  watchModel();
}

document.addEventListener("DOMContentLoaded", start);
