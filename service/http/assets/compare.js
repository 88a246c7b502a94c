// The analyst page's compare mode: two texts to POST /v1/compare, then both texts side by
// side, each point of the comparison marked in its own text (shared points blue and linked
// across, one-sided ones yellow); click a point to see its evidence. Plain script, no build.
"use strict";

(() => {
  const byId = (id) => document.getElementById(id);
  const compareState = { result: null, texts: ["", ""] };

  function node(tag, props = {}, ...children) {
    const made = document.createElement(tag);
    for (const [name, value] of Object.entries(props)) {
      if (name === "className") made.className = value;
      else if (name === "text") made.textContent = value;
      else if (name === "dataset") Object.assign(made.dataset, value);
      else made.setAttribute(name, value);
    }
    for (const child of children) made.append(child);
    return made;
  }

  function authHeaders() {
    const key = sessionStorage.getItem("brief-api-key") || "";
    const all = { "content-type": "application/json" };
    if (key) all.Authorization = "Bearer " + key;
    return all;
  }

  // --- Modes: one text briefed, or two compared. ------------------------------------------

  function setMode(compare) {
    byId("mode-brief").setAttribute("aria-pressed", String(!compare));
    byId("mode-compare").setAttribute("aria-pressed", String(compare));
    document.querySelector("section.input").hidden = compare;
    byId("result").hidden = compare || !byId("headline").textContent;
    byId("compare").hidden = !compare;
    byId("comparison").hidden = !compare || compareState.result === null;
  }

  // --- Asking. --------------------------------------------------------------------------

  async function compareIt(event) {
    event.preventDefault();
    const texts = [byId("text-a").value, byId("text-b").value];
    byId("compare-error").hidden = true;
    byId("compare-status").textContent = "Comparing: both briefs, then the alignment…";
    byId("compare-it").disabled = true;
    try {
      const response = await fetch("/v1/compare", {
        method: "POST", headers: authHeaders(),
        body: JSON.stringify({ articles: texts.map((text) => ({ text })) }),
      });
      const body = await response.json().catch(() => null);
      if (!response.ok) {
        const message = (body && body.error && body.error.message) || "";
        throw new Error("The comparison failed (" + response.status + ")" +
          (message ? ": " + message : "."));
      }
      compareState.result = body;
      compareState.texts = texts;
      showComparison(body, texts);
      byId("compare-status").textContent = "";
    } catch (error) {
      byId("compare-status").textContent = "";
      byId("compare-error").textContent = error.message;
      byId("compare-error").hidden = false;
    } finally {
      byId("compare-it").disabled = false;
    }
  }

  // --- Showing. -------------------------------------------------------------------------

  function eventLine(brief) {
    const e = brief.event;
    return [e.type, e.date || "date not stated", e.location || "no place stated",
      "tone: " + brief.tone].join(" · ");
  }

  function pointButton(text, id) {
    return node("button", { type: "button", className: "item", dataset: { point: id } }, text);
  }

  function showComparison(result, texts) {
    byId("verdict").textContent = result.same_event ? "The same event" : "Different events";
    byId("verdict-reason").textContent = result.same_event_reason;
    const table = byId("differences");
    table.replaceChildren(node("tr", {}, node("th", { text: "" }), node("th", { text: "A" }),
      node("th", { text: "B" })));
    for (const d of result.differences) {
      const show = (v) => (v === null || v === undefined || (Array.isArray(v) && !v.length))
        ? "—" : Array.isArray(v) ? v.join(", ") : String(v);
      table.append(node("tr", {}, node("th", { text: d.field.replace(/_/g, " ") }),
        node("td", { text: show(d.a) }), node("td", { text: show(d.b) })));
    }
    const shared = byId("shared-points");
    shared.replaceChildren();
    result.shared.forEach((p, i) => {
      const item = node("li", {}, pointButton(p.terms.length ? p.terms.join(", ") : "the event",
        "s" + i));
      p.texts.forEach((said, k) => item.append(node("span", { className: "said",
        text: (k === 0 ? "A: " : "B: ") + (said || "—") })));
      shared.append(item);
    });
    ["a", "b"].forEach((side, k) => {
      const brief = result[side];
      byId("side-" + side + "-heading").textContent = "Text " + side.toUpperCase() + ": " +
        brief.headline;
      byId("side-" + side + "-event").textContent = eventLine(brief);
      const list = byId("only-" + side);
      list.replaceChildren(...result["only_" + side].map((p, i) => node("li",
        { className: p.kind === "detail" ? "detail" : "" }, pointButton(p.text, side + i))));
      renderText(byId("side-" + side + "-text"), texts[k], marksOf(result, side));
    });
    byId("comparison").hidden = false;
  }

  function marksOf(result, side) {
    const marks = [];
    result.shared.forEach((p, i) => {
      for (const s of p["evidence_" + side] || []) marks.push({ ...s, id: "s" + i, kind: "shared" });
    });
    result["only_" + side].forEach((p, i) => {
      for (const s of p.evidence) marks.push({ ...s, id: side + i, kind: "only" });
    });
    return marks;
  }

  function renderText(box, text, marks) {
    // The API's offsets count code points: page.js (loaded first) maps them to UTF-16 units.
    const unit = codePointToUnit(text);
    const spans = marks.map((m) => ({ ...m, start: unit(m.start), end: unit(m.end) }));
    const cuts = new Set([0, text.length]);
    for (const s of spans) { cuts.add(s.start); cuts.add(s.end); }
    const points = [...cuts].sort((x, y) => x - y);
    box.replaceChildren();
    for (let i = 0; i + 1 < points.length; i++) {
      const [start, end] = [points[i], points[i + 1]];
      const over = spans.filter((s) => s.start <= start && s.end >= end);
      const piece = text.slice(start, end);
      if (!over.length) {
        box.append(piece);
        continue;
      }
      // A detail lies inside its shared point: the one-sided colour shows what it adds.
      const kind = over.some((s) => s.kind === "only") ? "only" : "shared";
      box.append(node("mark", { className: kind,
        dataset: { points: [...new Set(over.map((s) => s.id))].join(" ") } }, piece));
    }
  }

  function marksFor(id) {
    return [...document.querySelectorAll(".side mark")].filter((m) =>
      m.dataset.points.split(" ").includes(id));
  }

  function showPoint(id) {
    document.querySelectorAll(".side mark.active, .comparison button.item.current")
      .forEach((m) => m.classList.remove("active", "current"));
    document.querySelectorAll('.comparison button.item[data-point="' + id + '"]')
      .forEach((b) => b.classList.add("current"));
    const marks = marksFor(id);
    marks.forEach((m) => m.classList.add("active"));
    // The first mark in each text scrolled into view inside its own pane.
    for (const box of document.querySelectorAll(".side .source-text")) {
      const first = marks.find((m) => box.contains(m));
      if (first) box.scrollTop = first.offsetTop - box.offsetTop - 24;
    }
  }

  function linkAcross(mark, on) {
    for (const id of mark.dataset.points.split(" ")) {
      marksFor(id).forEach((m) => m.classList.toggle("linked", on));
    }
  }

  function start() {
    if (!byId("compare-form")) return;
    byId("mode-brief").addEventListener("click", () => setMode(false));
    byId("mode-compare").addEventListener("click", () => setMode(true));
    byId("compare-form").addEventListener("submit", compareIt);
    byId("comparison").addEventListener("click", (event) => {
      const button = event.target.closest("button.item[data-point]");
      if (button) showPoint(button.dataset.point);
      const mark = event.target.closest(".side mark");
      if (mark) showPoint(mark.dataset.points.split(" ")[0]);
    });
    byId("comparison").addEventListener("mouseover", (event) => {
      const mark = event.target.closest(".side mark");
      if (mark) linkAcross(mark, true);
    });
    byId("comparison").addEventListener("mouseout", (event) => {
      const mark = event.target.closest(".side mark");
      if (mark) linkAcross(mark, false);
    });
  }

  document.addEventListener("DOMContentLoaded", start);
})();
