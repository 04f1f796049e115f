/* Mercurios chat widget: one <script src=".../widget.js" data-token-endpoint="..." async>.
 * Dependency-free on purpose: retailers embed it in their own pages, so it must be small, must not
 * clash with their CSS or JS (everything lives in a shadow root), and must never turn answer or data
 * text into markup (every string from the server is set with textContent). */
(() => {
  "use strict";
  if (window.Mercurios && window.Mercurios.version) return;

  const script =
    document.currentScript || document.querySelector("script[data-token-endpoint]") || { dataset: {} };
  const data = script.dataset || {};
  const apiBase = (data.apiBase || (script.src ? new URL(script.src, location.href).origin : location.origin))
    .replace(/\/$/, "");
  const tokenEndpoint = data.tokenEndpoint || "";
  const PAGE_ROWS = 50;

  const STAGES = {
    guard: "Checking the question",
    cache: "Looking for a recent answer",
    retrieve: "Finding the right metrics",
    plan: "Planning the query",
    compile: "Writing the SQL",
    execute: "Running the query",
    answer: "Writing the answer",
  };

  // ---- tiny DOM helpers: text goes in as text, never as markup -----------------------------------
  const h = (tag, attrs, ...kids) => {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else if (k === "text") el.textContent = v;
      else el.setAttribute(k, v === true ? "" : String(v));
    }
    for (const kid of kids) if (kid !== null && kid !== undefined) el.append(kid);
    return el;
  };
  const SVG = "http://www.w3.org/2000/svg";
  const s = (tag, attrs, ...kids) => {
    const el = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") el.textContent = v;
      else el.setAttribute(k, String(v));
    }
    for (const kid of kids) if (kid) el.append(kid);
    return el;
  };

  const CSS = `
  :host { all: initial !important; }
  * { box-sizing: border-box; }
  .root { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2933;
    letter-spacing: normal; text-transform: none; text-align: left; --accent: ${cssColor(data.accent) || "#3a5ccc"};
    --primary: var(--accent); --on-primary: #fff; }
  button, input, textarea { font: inherit; color: inherit; letter-spacing: inherit; text-transform: none; }
  button { cursor: pointer; border: 1px solid #cbd2d9; background: #fff; border-radius: 6px; padding: 4px 10px; margin: 0; }
  button:hover { background: #f0f4f8; }
  :focus-visible { outline: 3px solid #ffb020; outline-offset: 2px; }
  .launcher { position: fixed; right: 20px; bottom: 20px; z-index: 2147483000; width: 56px; height: 56px;
    border-radius: 50%; border: 0; background: var(--primary); color: var(--on-primary); font-size: 24px;
    box-shadow: 0 4px 14px rgba(0,0,0,.25); }
  .launcher:hover { background: var(--primary); filter: brightness(1.1); }
  .panel { position: fixed; right: 20px; bottom: 88px; z-index: 2147483001; width: 420px; max-width: calc(100vw - 40px);
    height: 640px; max-height: calc(100vh - 108px); display: flex; flex-direction: column; background: #fff;
    border-radius: 12px; box-shadow: 0 10px 40px rgba(0,0,0,.25); overflow: hidden; transition: opacity .15s; }
  .panel[hidden] { display: none; }
  header { display: flex; align-items: center; gap: 8px; padding: 10px 12px; background: var(--primary); color: var(--on-primary); }
  header .logo { width: 32px; height: 32px; object-fit: contain; border-radius: 6px; background: #fff; flex: none; }
  header .title { flex: 1; min-width: 0; }
  header h2 { margin: 0; font-size: 16px; }
  header p { margin: 0; font-size: 12px; opacity: .9; }
  header button { background: transparent; color: var(--on-primary); border-color: currentColor; }
  header button:hover { background: rgba(255,255,255,.15); }
  .log { flex: 1; overflow-y: auto; padding: 12px; display: flex; flex-direction: column; gap: 12px; }
  .greeting { color: #52606d; }
  .q { align-self: flex-end; background: var(--primary); color: var(--on-primary); padding: 6px 10px; border-radius: 10px;
    max-width: 85%; white-space: pre-wrap; overflow-wrap: anywhere; }
  .a { border: 1px solid #e4e7eb; border-radius: 10px; padding: 8px 10px; display: flex; flex-direction: column; gap: 8px; }
  .progress { color: #52606d; font-size: 13px; display: flex; align-items: center; gap: 6px; }
  .progress::before { content: ""; width: 10px; height: 10px; border-radius: 50%; border: 2px solid var(--accent);
    border-right-color: transparent; animation: spin .8s linear infinite; }
  .progress.idle::before { display: none; }
  @keyframes spin { to { transform: rotate(360deg); } }
  .text { white-space: pre-wrap; overflow-wrap: anywhere; }
  .error { color: #ab091e; background: #ffe3e3; border-radius: 6px; padding: 6px 8px; }
  .chips { display: flex; flex-wrap: wrap; gap: 6px; }
  .chips button { border-radius: 14px; font-size: 13px; border-color: var(--accent); color: var(--accent); }
  .tablewrap { overflow-x: auto; max-height: 300px; overflow-y: auto; border: 1px solid #e4e7eb; border-radius: 6px; }
  table { border-collapse: collapse; width: 100%; font-size: 13px; }
  th, td { padding: 4px 8px; border-bottom: 1px solid #e4e7eb; text-align: left; white-space: nowrap; }
  td.num, th.num { text-align: right; }
  th { position: sticky; top: 0; background: #f5f7fa; }
  th button { border: 0; background: transparent; padding: 0; font-weight: 600; }
  .meta { display: flex; justify-content: space-between; align-items: center; gap: 8px; font-size: 12px; color: #52606d; }
  svg { width: 100%; height: auto; display: block; }
  details summary { cursor: pointer; font-size: 13px; }
  pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f5f7fa; padding: 8px; border-radius: 6px;
    font: 12px/1.4 ui-monospace, Menlo, Consolas, monospace; margin: 6px 0 0; }
  .label { font-size: 11px; padding: 1px 6px; border-radius: 8px; background: #e3f8e8; color: #0e5c2a; margin-left: 4px; }
  .label.generated { background: #fff3c4; color: #7a4d00; }
  .actions { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
  .actions [aria-pressed="true"] { background: var(--primary); color: var(--on-primary); }
  .feedback { display: flex; flex-direction: column; gap: 6px; }
  textarea { width: 100%; border: 1px solid #cbd2d9; border-radius: 6px; padding: 6px 8px; resize: vertical; }
  form.ask { display: flex; gap: 6px; padding: 10px 12px; border-top: 1px solid #e4e7eb; }
  form.ask textarea { flex: 1; min-height: 38px; max-height: 120px; resize: none; }
  form.ask button[type=submit] { background: var(--primary); color: var(--on-primary); border: 0; }
  .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  @media (max-width: 480px) {
    .panel { inset: 0; width: 100vw; max-width: 100vw; height: 100%; max-height: 100%; border-radius: 0; }
  }
  @media (prefers-reduced-motion: reduce) {
    .panel { transition: none; } .progress::before { animation: none; border-right-color: var(--accent); }
  }`;

  function cssColor(value) {
    return typeof value === "string" && /^#[0-9a-fA-F]{3,8}$/.test(value) ? value : "";
  }

  // ---- tenant theme (white-label): every value re-checked here, whatever the server sent ---------
  const THEME_COLOR = /^#[0-9a-fA-F]{6}$/;
  const DATA_LOGO = /^data:image\/(png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/]+={0,2}$/;

  function themeColor(value) {
    return typeof value === "string" && THEME_COLOR.test(value) ? value : "";
  }

  // Text on the primary colour: white on dark brands, near-black on light ones (WCAG luminance).
  function onColor(hex) {
    const lin = (i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    };
    const lum = 0.2126 * lin(1) + 0.7152 * lin(3) + 0.0722 * lin(5);
    return (1.05 / (lum + 0.05)) >= ((lum + 0.05) / 0.05) ? "#ffffff" : "#1f2933";
  }

  // Only an https URL or an inline image: an <img> never runs script, but a javascript: or http:
  // URL has no business in a retailer's back office either.
  function logoUrl(value) {
    if (typeof value !== "string" || value.length > 100000) return "";
    if (DATA_LOGO.test(value)) return value;
    try {
      return new URL(value).protocol === "https:" ? value : "";
    } catch (_) {
      return "";
    }
  }

  function applyTheme(theme) {
    const t = theme && typeof theme === "object" ? theme : {};
    const primary = data.accent ? "" : themeColor(t.primary_color);
    const accent = data.accent ? "" : themeColor(t.accent_color);
    if (primary) {
      shell.style.setProperty("--primary", primary);
      shell.style.setProperty("--on-primary", onColor(primary));
    }
    if (accent) shell.style.setProperty("--accent", accent);
    const src = logoUrl(t.logo_url);
    if (src && !logoEl) {
      // created only when there is a logo; src is a property, never markup
      logoEl = document.createElement("img");
      logoEl.className = "logo";
      logoEl.alt = "";
      logoEl.referrerPolicy = "no-referrer";
      logoEl.addEventListener("error", () => (logoEl.hidden = true));
      logoEl.src = src;
      panel.querySelector("header").prepend(logoEl);
    }
  }

  // ---- state --------------------------------------------------------------------------------------
  const state = {
    token: null,
    expiresAt: 0,
    config: null,
    conversationId: null,
    controller: null,
    locale: document.documentElement.lang || navigator.language || "en",
    opened: false,
  };
  const timings = [];
  let logoEl = null;
  let launcherName = "Mercurios";

  // ---- shell: launcher + panel inside a shadow root -----------------------------------------------
  const host = h("div", { id: "mercurios-widget", "data-mercurios": "" });
  const root = host.attachShadow({ mode: "open" });
  root.append(h("style", { text: CSS }));
  const shell = h("div", { class: "root" });
  root.append(shell);

  const launcher = h("button", {
    class: "launcher",
    type: "button",
    "aria-label": "Open the Mercurios assistant",
    "aria-expanded": "false",
    "aria-controls": "mercurios-panel",
    onclick: () => (panel.hidden ? open() : close()),
  },
  // an inline icon: an emoji glyph depends on the host's fonts (a box where none is installed)
  s("svg", { viewBox: "0 0 24 24", width: "26", height: "26", "aria-hidden": "true", focusable: "false" },
    s("path", { fill: "currentColor",
      d: "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H10l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z" })));
  const titleEl = h("h2", { id: "mercurios-title", text: "Mercurios" });
  const subtitleEl = h("p", { text: "Ask your business data" });
  const newBtn = h("button", { type: "button", text: "New", "aria-label": "New conversation", onclick: () => newConversation() });
  const closeBtn = h("button", { type: "button", text: "✕", "aria-label": "Close the assistant", onclick: () => close() });
  const log = h("div", { class: "log", role: "log", "aria-live": "polite", "aria-label": "Conversation" });
  const input = h("textarea", { id: "mercurios-input", rows: "1", placeholder: "Ask a question about your data…", maxlength: "4000" });
  const sendBtn = h("button", { type: "submit", text: "Ask" });
  const stopBtn = h("button", { type: "button", text: "Stop", hidden: true, "aria-label": "Stop the answer", onclick: () => stop() });
  const form = h(
    "form",
    { class: "ask", onsubmit: (e) => { e.preventDefault(); ask(input.value); } },
    h("label", { class: "sr", for: "mercurios-input", text: "Your question" }),
    input,
    sendBtn,
    stopBtn
  );
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  const panel = h(
    "section",
    { class: "panel", id: "mercurios-panel", role: "dialog", "aria-labelledby": "mercurios-title", hidden: true },
    h("header", {}, h("div", { class: "title" }, titleEl, subtitleEl), newBtn, closeBtn),
    log,
    form
  );
  panel.addEventListener("keydown", (e) => {
    if (e.key === "Escape") close();
  });
  shell.append(launcher, panel);

  function mount() {
    if (!host.isConnected) document.body.append(host);
  }

  // ---- keeping the newest turn in view -------------------------------------------------------------
  // Asking brings the new turn to the top of the log, and as its answer arrives the log keeps
  // scrolling down to it — unless the user has scrolled up above it to read, then nothing moves
  // until they scroll back down to it or ask again. Scrolls are instant: a smooth one would read as
  // the user's own scrolling in between.
  const follow = { turn: null, reading: false, ours: -1 };

  function turnTop(turn) {
    return log.scrollTop + turn.el.getBoundingClientRect().top - log.getBoundingClientRect().top - 12;
  }

  function reveal() {
    const turn = follow.turn;
    if (!turn || follow.reading || panel.hidden) return;
    const top = Math.max(0, Math.floor(turnTop(turn)));
    if (log.scrollTop >= top - 1) return; // already there (or below it, reading the answer): never up
    log.scrollTop = top;
    follow.ours = log.scrollTop;
  }

  log.addEventListener("scroll", () => {
    if (Math.abs(log.scrollTop - follow.ours) <= 1) return; // the scroll we just made
    follow.ours = -1;
    if (follow.turn) follow.reading = turnTop(follow.turn) > log.scrollTop + 1;
  }, { passive: true });

  // ---- credentials and configuration --------------------------------------------------------------
  class WidgetError extends Error {
    constructor(code, message) {
      super(message);
      this.code = code;
    }
  }

  async function token(force) {
    if (!force && state.token && state.expiresAt - 30 > Date.now() / 1000) return state.token;
    if (!tokenEndpoint) throw new WidgetError("no_token_endpoint", "The widget has no data-token-endpoint.");
    let res;
    try {
      res = await fetch(tokenEndpoint, { method: "POST", credentials: "include", headers: { Accept: "application/json" } });
    } catch (_) {
      throw new WidgetError("unreachable", "Can't reach the server to sign you in. Check your connection and try again.");
    }
    if (!res.ok) throw new WidgetError("token_failed", "Could not sign you in to the assistant (HTTP " + res.status + ").");
    const body = await res.json();
    state.token = body.token;
    state.expiresAt = Number(body.expires_at) || 0;
    return state.token;
  }

  async function api(path, init, retried) {
    const t = await token(false);
    let res;
    try {
      res = await fetch(apiBase + path, {
        ...init,
        headers: { ...(init && init.headers), Authorization: "Bearer " + t, "Content-Type": "application/json" },
      });
    } catch (e) {
      if (e && e.name === "AbortError") throw e;
      throw new WidgetError("unreachable", "Can't reach the assistant right now. Check your connection and try again.");
    }
    if (res.ok) return res;
    let err = { code: "http_" + res.status, message: "The assistant answered with an error (HTTP " + res.status + ")." };
    try {
      const body = await res.json();
      if (body && body.error) err = body.error;
    } catch (_) {
      /* not JSON: keep the generic message */
    }
    if (res.status === 401 && !retried) {
      state.token = null;
      return api(path, init, true);
    }
    if (err.code === "token_expired") err.message = "Your session has expired. Reload the page to sign in again.";
    throw new WidgetError(err.code, err.message);
  }

  async function loadConfig() {
    if (state.config) return;
    try {
      const res = await api("/v1/widget/config", { method: "POST", body: "{}" });
      state.config = await res.json();
    } catch (e) {
      state.config = {};
    }
    const c = state.config;
    if (typeof c.locale === "string") state.locale = c.locale;
    applyTheme(c.theme);
    const name = String(data.title || c.assistant_name || "Mercurios").slice(0, 60);
    titleEl.textContent = name;
    launcherName = name;
    launcher.setAttribute("aria-label", (panel.hidden ? "Open the " : "Close the ") + name + " assistant");
    if (typeof c.tenant_name === "string") subtitleEl.textContent = c.tenant_name;
    greet();
  }

  function greet() {
    if (log.childElementCount) return;
    const c = state.config || {};
    log.append(h("p", { class: "greeting", text: String(c.greeting || "Hi! Ask me about your data.") }));
    const suggested = Array.isArray(c.suggestions) ? c.suggestions.slice(0, 6).map(String) : [];
    if (suggested.length) log.append(chips(suggested, "Suggested questions"));
  }

  function chips(items, label) {
    return h("div", { class: "chips", role: "group", "aria-label": label }, ...items.map((q) => h("button", { type: "button", text: q, onclick: () => ask(q) })));
  }

  // ---- open / close / new -------------------------------------------------------------------------
  function open() {
    mount();
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    launcher.setAttribute("aria-label", "Close the " + launcherName + " assistant");
    input.focus();
    if (!state.opened) {
      state.opened = true;
      loadConfig();
    }
  }

  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-label", "Open the " + launcherName + " assistant");
    launcher.focus();
  }

  function newConversation() {
    stop();
    state.conversationId = null;
    follow.turn = null;
    log.replaceChildren();
    greet();
    input.focus();
  }

  function stop() {
    if (state.controller) state.controller.abort();
  }

  // ---- one question, streamed --------------------------------------------------------------------
  async function ask(question) {
    question = String(question || "").trim();
    if (!question) return;
    if (panel.hidden) open();
    if (state.controller) stop();
    input.value = "";
    const sentAt = performance.now();
    const timing = { question, sentAt, localProgressMs: null, firstProgressMs: null, doneMs: null };
    timings.push(timing);
    const turn = new Turn(question, timing);
    log.append(turn.el);
    follow.turn = turn;
    follow.reading = false; // a new question is a new thing to look at
    reveal();
    requestAnimationFrame(() => (timing.localProgressMs = performance.now() - sentAt));
    turn.progress("Sending your question");
    const controller = new AbortController();
    state.controller = controller;
    sendBtn.hidden = true;
    stopBtn.hidden = false;
    try {
      const body = { question };
      if (state.conversationId) body.conversation_id = state.conversationId;
      const res = await api("/v1/chat", { method: "POST", body: JSON.stringify(body), signal: controller.signal, headers: { Accept: "text/event-stream" } });
      await readEvents(res.body, (type, payload) => turn.handle(type, payload));
      if (!turn.finished) turn.fail("The answer was cut off. Please ask again.");
    } catch (e) {
      if (e && e.name === "AbortError") turn.stopped();
      else if (e instanceof WidgetError) turn.fail(e.message, e.code);
      else if (e instanceof TypeError) turn.fail("Lost the connection to the assistant. Please ask again.", "unreachable");
      else turn.fail("Something went wrong in the widget: " + (e && e.message), "widget_error");
    } finally {
      if (follow.turn === turn) reveal(); // an error or a stop shown by the widget itself
      timing.doneMs = performance.now() - sentAt;
      if (state.controller === controller) {
        state.controller = null;
        stopBtn.hidden = true;
        sendBtn.hidden = false;
      }
    }
  }

  async function readEvents(stream, onEvent) {
    const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let cut;
      while ((cut = buffer.search(/\r?\n\r?\n/)) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut).replace(/^\r?\n\r?\n/, "");
        let type = "message";
        const lines = [];
        for (const line of block.split(/\r?\n/)) {
          if (line.startsWith("event:")) type = line.slice(6).trim();
          else if (line.startsWith("data:")) lines.push(line.slice(5).replace(/^ /, ""));
        }
        if (lines.length) onEvent(type, JSON.parse(lines.join("\n")));
      }
    }
  }

  // ---- one turn of the conversation ---------------------------------------------------------------
  class Turn {
    constructor(question, timing) {
      this.timing = timing;
      this.finished = false;
      this.answerText = "";
      this.el = h("div", { class: "turn" });
      this.el.append(h("div", { class: "q", text: question }));
      this.box = h("article", { class: "a", "aria-label": "Answer" });
      this.progressEl = h("div", { class: "progress", role: "status" });
      this.textEl = h("div", { class: "text" });
      this.box.append(this.progressEl, this.textEl);
      this.el.append(this.box);
    }

    progress(message) {
      this.progressEl.textContent = message + "…";
    }

    handle(type, ev) {
      this.dispatch(type, ev);
      if (type !== "status" && follow.turn === this) reveal();
    }

    dispatch(type, ev) {
      if (type === "status") {
        if (this.timing.firstProgressMs === null) {
          const t = this.timing;
          requestAnimationFrame(() => (t.firstProgressMs = performance.now() - t.sentAt));
        }
        this.progress(STAGES[ev.stage] || ev.message || ev.stage);
        this.progressEl.dataset.stage = ev.stage;
      } else if (type === "sql") this.sql = ev;
      else if (type === "table") this.table(ev);
      else if (type === "chart") this.chart(ev.spec);
      else if (type === "text_delta") {
        this.answerText += ev.text;
        this.textEl.textContent = this.answerText;
      } else if (type === "answer") this.answer(ev);
      else if (type === "clarification") {
        this.answerText = ev.question;
        this.textEl.textContent = ev.question;
        if (ev.options && ev.options.length) this.box.append(chips(ev.options, "Choose one"));
      } else if (type === "refusal") {
        this.answerText = ev.message;
        this.textEl.textContent = ev.message;
      } else if (type === "error") this.fail(ev.message, ev.code);
      else if (type === "done") this.done(ev);
    }

    answer(ev) {
      this.answerText = ev.text;
      this.textEl.textContent = ev.text;
      if (this.sql) this.box.append(sqlSection(this.sql));
      if (ev.followups && ev.followups.length) this.box.append(chips(ev.followups, "Follow-up questions"));
    }

    table(ev) {
      this.box.append(new ResultTable(ev).el);
    }

    chart(spec) {
      try {
        const svg = drawChart(spec, state.locale);
        if (svg) this.box.append(h("figure", { class: "chart", style: "margin:0" }, svg));
      } catch (_) {
        /* a chart we cannot draw leaves the table and text */
      }
    }

    done(ev) {
      this.finished = true;
      this.progressEl.textContent = "";
      this.progressEl.classList.add("idle");
      if (ev.conversation_id) state.conversationId = ev.conversation_id;
      if (ev.turn_id && this.answerText) this.box.append(actions(this, ev.conversation_id, ev.turn_id));
    }

    fail(message, code) {
      this.finished = true;
      this.progressEl.textContent = "";
      this.progressEl.classList.add("idle");
      this.box.append(h("p", { class: "error", role: "alert", "data-code": code || "", text: message }));
    }

    stopped() {
      this.finished = true;
      this.progressEl.textContent = "Stopped.";
      this.progressEl.classList.add("idle");
      this.progressEl.dataset.stage = "stopped";
    }
  }

  function sqlSection(ev) {
    const label = ev.verified ? "verified" : "generated";
    return h(
      "details",
      { class: "sql" },
      h("summary", {}, "SQL", h("span", { class: "label " + label, text: label })),
      h("pre", {}, h("code", { text: ev.sql }))
    );
  }

  // ---- feedback, copy -----------------------------------------------------------------------------
  function actions(turn, conversationId, turnId) {
    const bar = h("div", { class: "actions", role: "group", "aria-label": "Answer actions" });
    const status = h("span", { role: "status", class: "fbstatus" });
    const copy = h("button", { type: "button", text: "Copy", "aria-label": "Copy the answer" });
    copy.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(turn.answerText);
        status.textContent = "Copied.";
      } catch (_) {
        status.textContent = "Could not copy: select the text instead.";
      }
    });
    const thumbs = ["up", "down"].map((rating) =>
      h("button", {
        type: "button",
        text: rating === "up" ? "👍" : "👎",
        "aria-label": rating === "up" ? "Good answer" : "Bad answer",
        "aria-pressed": "false",
        "data-rating": rating,
        onclick: () => pick(rating),
      })
    );
    bar.append(copy, ...thumbs, status);
    const wrap = h("div", { class: "feedback" }, bar);
    let form = null;
    function pick(rating) {
      thumbs.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.rating === rating)));
      if (form) form.remove();
      const comment = h("textarea", { rows: "2", "aria-label": "Comment (optional)", placeholder: "What was right or wrong? (optional)", maxlength: "4000" });
      const send = h("button", { type: "submit", text: "Send feedback" });
      form = h("form", { class: "feedback" }, comment, send);
      form.addEventListener("submit", async (e) => {
        e.preventDefault();
        send.disabled = true;
        try {
          await api("/v1/feedback", {
            method: "POST",
            body: JSON.stringify({ conversation_id: conversationId, turn_id: turnId, rating, comment: comment.value }),
          });
          form.remove();
          form = null;
          status.textContent = "Thanks for your feedback.";
          thumbs.forEach((b) => (b.disabled = true));
          status.setAttribute("tabindex", "-1");
          status.focus();
        } catch (err) {
          send.disabled = false;
          status.textContent = "Feedback not sent: " + err.message;
        }
      });
      wrap.append(form);
      comment.focus();
    }
    return wrap;
  }

  // ---- the result table ---------------------------------------------------------------------------
  class ResultTable {
    constructor(ev) {
      this.ev = ev;
      this.order = ev.rows.map((_, i) => i);
      this.sortCol = null;
      this.sortDir = "none";
      this.numeric = ev.columns.map((_, c) => ev.rows.length > 0 && ev.rows.every((r) => r[c] === null || typeof r[c] === "number"));
      this.tbody = h("tbody");
      this.heads = ev.columns.map((_, c) => {
        const btn = h("button", { type: "button", text: ev.labels[c] || ev.columns[c], onclick: () => this.sort(c) });
        return h("th", { scope: "col", class: this.numeric[c] ? "num" : "", "aria-sort": "none" }, btn);
      });
      const shown = Math.min(PAGE_ROWS, ev.rows.length);
      const fmt = new Intl.NumberFormat(state.locale);
      const count =
        shown < ev.total_rows
          ? `Showing ${fmt.format(shown)} of ${fmt.format(ev.total_rows)} rows`
          : `${fmt.format(ev.total_rows)} ${ev.total_rows === 1 ? "row" : "rows"}`;
      const csv = h("button", { type: "button", text: "Download CSV", onclick: () => this.download() });
      this.el = h(
        "section",
        { class: "result", "aria-label": "Result table" },
        h("div", { class: "tablewrap" }, h("table", {}, h("thead", {}, h("tr", {}, ...this.heads)), this.tbody)),
        h("div", { class: "meta" }, h("span", { class: "count", text: count }), csv)
      );
      this.render();
    }

    sort(c) {
      const dir = this.sortCol === c && this.sortDir === "ascending" ? "descending" : "ascending";
      this.sortCol = c;
      this.sortDir = dir;
      const rows = this.ev.rows;
      const sign = dir === "ascending" ? 1 : -1;
      const coll = new Intl.Collator(state.locale, { numeric: true });
      this.order.sort((a, b) => {
        const x = rows[a][c];
        const y = rows[b][c];
        if (x === y) return 0;
        if (x === null) return 1;
        if (y === null) return -1;
        return sign * (this.numeric[c] ? x - y : coll.compare(String(x), String(y)));
      });
      this.heads.forEach((th, i) => th.setAttribute("aria-sort", i === c ? dir : "none"));
      this.render();
    }

    render() {
      const { formatted } = this.ev;
      this.tbody.replaceChildren(
        ...this.order.slice(0, PAGE_ROWS).map((r) =>
          h("tr", {}, ...formatted[r].map((cell, c) => h("td", { class: this.numeric[c] ? "num" : "", text: cell })))
        )
      );
    }

    download() {
      const quote = (v) => {
        const t = v === null || v === undefined ? "" : String(v);
        return /[",\n\r]/.test(t) ? '"' + t.replace(/"/g, '""') + '"' : t;
      };
      const lines = [this.ev.columns.map(quote).join(",")];
      for (const r of this.order) lines.push(this.ev.rows[r].map(quote).join(","));
      const blob = new Blob([lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
      const url = URL.createObjectURL(blob);
      const a = h("a", { href: url, download: "mercurios-result.csv", style: "display:none" });
      shell.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    }
  }

  // ---- charts: bar, line and donut drawn from the Vega-Lite spec's own data -----------------------
  const PALETTE = ["#3a5ccc", "#e67e22", "#27ae60", "#c0392b", "#8e44ad", "#16a085", "#d4ac0d", "#7f8c8d"];

  function numberFormatter(enc, locale) {
    const pct = enc && enc.axis && /%/.test(enc.axis.format || "");
    const nf = new Intl.NumberFormat(locale, pct ? { style: "percent", maximumFractionDigits: 1 } : { notation: "compact", maximumFractionDigits: 1 });
    return (v) => nf.format(v);
  }

  function drawChart(spec, locale) {
    if (Array.isArray(spec.vconcat)) {
      // several metrics: one small chart each, stacked (their units differ)
      const parts = spec.vconcat.map((sub) => drawChart(sub, locale)).filter(Boolean);
      return parts.length ? h("div", { class: "charts" }, ...parts) : null;
    }
    const values = (spec.data && spec.data.values) || [];
    const enc = spec.encoding || {};
    const mark = typeof spec.mark === "string" ? spec.mark : spec.mark && spec.mark.type;
    const title = typeof spec.title === "string" ? spec.title : "Chart";
    if (!values.length) return null;
    const svg = s("svg", { role: "img", "aria-label": title, class: "chart-" + mark });
    svg.append(s("title", { text: title }));
    const W = 400;
    let H = 240;
    if (mark === "bar") H = drawBars(svg, values, enc, W, locale);
    else if (mark === "line") drawLines(svg, values, enc, W, H, locale);
    else if (mark === "arc") H = drawDonut(svg, values, enc, W);
    else if (mark === "rect") H = drawHeatmap(svg, values, enc, W, locale);
    else return null;
    svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
    return h("div", {}, h("div", { class: "meta", text: title }), svg);
  }

  function drawBars(svg, values, enc, W, locale) {
    const cat = enc.y.field;
    const val = enc.x.field;
    const rows = values.slice().sort((a, b) => (b[val] || 0) - (a[val] || 0)).slice(0, 20);
    const fmt = numberFormatter(enc.x, locale);
    const left = 130, right = 56, bar = 16, gap = 6, top = 4;
    const nums = rows.map((r) => Number(r[val]) || 0);
    const lo = Math.min(0, ...nums), hi = Math.max(0, ...nums);
    const span = hi - lo || 1;
    const x = (v) => left + ((v - lo) / span) * (W - left - right);
    rows.forEach((r, i) => {
      const y = top + i * (bar + gap);
      const v = nums[i];
      svg.append(s("text", { x: left - 6, y: y + bar - 4, "text-anchor": "end", "font-size": 11, fill: "#333", text: truncate(String(r[cat]), 20) }));
      svg.append(s("rect", { x: Math.min(x(0), x(v)), y, width: Math.max(1, Math.abs(x(v) - x(0))), height: bar, fill: PALETTE[0] }, s("title", { text: `${r[cat]}: ${fmt(v)}` })));
      svg.append(s("text", { x: Math.max(x(0), x(v)) + 4, y: y + bar - 4, "font-size": 11, fill: "#333", text: fmt(v) }));
    });
    return top + rows.length * (bar + gap) + 4;
  }

  function drawLines(svg, values, enc, W, H, locale) {
    const xf = enc.x.field, yf = enc.y.field, cf = enc.color && enc.color.field;
    const fmt = numberFormatter(enc.y, locale);
    const series = new Map();
    for (const r of values) {
      const key = cf ? String(r[cf]) : "";
      if (!series.has(key)) series.set(key, []);
      series.get(key).push([Date.parse(r[xf]), Number(r[yf]) || 0]);
    }
    const pts = [...series.values()].flat();
    const xs = pts.map((p) => p[0]), ys = pts.map((p) => p[1]);
    const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(0, ...ys), y1 = Math.max(...ys);
    const left = 48, right = 8, top = 8, bottom = cf ? 46 : 24;
    const px = (v) => left + ((v - x0) / (x1 - x0 || 1)) * (W - left - right);
    const py = (v) => H - bottom - ((v - y0) / (y1 - y0 || 1)) * (H - top - bottom);
    svg.append(s("line", { x1: left, x2: W - right, y1: py(y0), y2: py(y0), stroke: "#cbd2d9" }));
    for (const v of [y0, (y0 + y1) / 2, y1]) svg.append(s("text", { x: left - 4, y: py(v) + 4, "text-anchor": "end", "font-size": 10, fill: "#52606d", text: fmt(v) }));
    const dfmt = new Intl.DateTimeFormat(locale, { month: "short", day: "numeric", year: "2-digit" });
    svg.append(s("text", { x: left, y: H - bottom + 14, "font-size": 10, fill: "#52606d", text: dfmt.format(x0) }));
    svg.append(s("text", { x: W - right, y: H - bottom + 14, "text-anchor": "end", "font-size": 10, fill: "#52606d", text: dfmt.format(x1) }));
    let i = 0;
    for (const [name, list] of series) {
      list.sort((a, b) => a[0] - b[0]);
      const color = PALETTE[i % PALETTE.length];
      svg.append(s("polyline", { points: list.map((p) => `${px(p[0]).toFixed(1)},${py(p[1]).toFixed(1)}`).join(" "), fill: "none", stroke: color, "stroke-width": 2 }, s("title", { text: name || enc.y.title || yf })));
      if (cf && i < 8) {
        const lx = left + (i % 4) * 88, ly = H - 16 + Math.floor(i / 4) * 12 - (i >= 4 ? 0 : 6);
        svg.append(s("rect", { x: lx, y: ly - 8, width: 8, height: 8, fill: color }));
        svg.append(s("text", { x: lx + 11, y: ly, "font-size": 10, fill: "#333", text: truncate(name, 14) }));
      }
      i += 1;
    }
  }

  function drawHeatmap(svg, values, enc, W, locale) {
    // two categories: rows (y, in the spec's order), columns (x), the value as the cell's shade
    const xf = enc.x.field, yf = enc.y.field, vf = enc.color.field;
    const uniq = (list) => [...new Set(list.map(String))];
    const rows = (enc.y.sort || uniq(values.map((r) => r[yf]))).map(String).slice(0, 20);
    const cols = uniq(values.map((r) => r[xf])).slice(0, 12);
    const nums = values.map((r) => Number(r[vf]) || 0);
    const lo = Math.min(...nums), hi = Math.max(...nums);
    const fmt = numberFormatter({ axis: enc.color.legend }, locale);
    const left = 130, top = 4, cell = 18, cw = (W - left - 4) / (cols.length || 1);
    for (const r of values) {
      const i = rows.indexOf(String(r[yf])), j = cols.indexOf(String(r[xf]));
      if (i < 0 || j < 0) continue;
      const v = Number(r[vf]) || 0;
      const t = hi > lo ? (v - lo) / (hi - lo) : 1;
      svg.append(s("rect", { x: left + j * cw, y: top + i * cell, width: cw - 1, height: cell - 1, fill: PALETTE[0], "fill-opacity": (0.12 + 0.88 * t).toFixed(2) }, s("title", { text: `${r[yf]} / ${r[xf]}: ${fmt(v)}` })));
    }
    rows.forEach((name, i) => svg.append(s("text", { x: left - 6, y: top + i * cell + 13, "text-anchor": "end", "font-size": 10, fill: "#333", text: truncate(name, 20) })));
    const bottom = top + rows.length * cell;
    cols.forEach((name, j) => svg.append(s("text", { x: left + j * cw + cw / 2, y: bottom + 12, "text-anchor": "middle", "font-size": 10, fill: "#52606d", text: truncate(name, Math.max(4, Math.floor(cw / 6))) })));
    return bottom + 20;
  }

  function drawDonut(svg, values, enc, W) {
    const vf = enc.theta.field, cf = enc.color.field;
    const total = values.reduce((a, r) => a + Math.max(0, Number(r[vf]) || 0), 0) || 1;
    const cx = 100, cy = 100, R = 90, r0 = 50;
    let a = -Math.PI / 2;
    values.forEach((r, i) => {
      const frac = Math.max(0, Number(r[vf]) || 0) / total;
      const b = a + frac * 2 * Math.PI;
      const large = b - a > Math.PI ? 1 : 0;
      const p = (ang, rad) => `${(cx + rad * Math.cos(ang)).toFixed(2)} ${(cy + rad * Math.sin(ang)).toFixed(2)}`;
      const d = frac >= 0.9999
        ? `M ${p(0, R)} A ${R} ${R} 0 1 1 ${p(Math.PI, R)} A ${R} ${R} 0 1 1 ${p(0, R)} Z`
        : `M ${p(a, R)} A ${R} ${R} 0 ${large} 1 ${p(b, R)} L ${p(b, r0)} A ${r0} ${r0} 0 ${large} 0 ${p(a, r0)} Z`;
      const color = PALETTE[i % PALETTE.length];
      svg.append(s("path", { d, fill: color }, s("title", { text: `${r[cf]}: ${(frac * 100).toFixed(1)}%` })));
      svg.append(s("rect", { x: 220, y: 20 + i * 18, width: 10, height: 10, fill: color }));
      svg.append(s("text", { x: 236, y: 29 + i * 18, "font-size": 11, fill: "#333", text: `${truncate(String(r[cf]), 18)} ${(frac * 100).toFixed(1)}%` }));
      a = b;
    });
    return 200;
  }

  function truncate(text, n) {
    return text.length > n ? text.slice(0, n - 1) + "…" : text;
  }

  // ---- public API ---------------------------------------------------------------------------------
  window.Mercurios = Object.freeze({
    version: "1",
    open,
    close,
    ask: (q) => ask(q),
    newConversation,
    stop,
    conversation: () => state.conversationId,
    timings,
  });
  // data-ask-param="q": a page opened from a link (a digest's "Ask about this") carries a question
  // in ?q=…; it is asked once, and the parameter leaves the address so a reload does not ask again.
  function questionInUrl() {
    const name = data.askParam;
    if (!name) return "";
    try {
      const url = new URL(location.href);
      const question = (url.searchParams.get(name) || "").trim().slice(0, 2000);
      if (question) {
        url.searchParams.delete(name);
        history.replaceState(history.state, "", url.pathname + url.search + url.hash);
      }
      return question;
    } catch (_) {
      return "";
    }
  }
  const start = () => {
    mount();
    const question = questionInUrl();
    if (question) ask(question);
    else if (data.open === "true") open();
  };
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
