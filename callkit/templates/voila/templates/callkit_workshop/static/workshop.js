/* callkit workshop: tell the coach at once when this page's coaching session has stopped.
 *
 * The page keeps asking the server whether its kernel still runs (GET callkit/api/page/<kernel id>), and asks
 * at once when the kernel's websocket closes. When the server does not answer, or answers that the kernel is
 * gone (killed, restarted, shut down), a banner says so in plain words and every button and box of the page
 * (.ck-page) is disabled, so nothing typed afterwards is silently lost. A server that answers again (a passing
 * hiccup) lifts the banner; a kernel that is gone is final: the page has to be reloaded.
 *
 * Loaded in the page's <head>, before Voila's own script opens the kernel websocket. Nothing here is fetched
 * from the internet.
 */
(function () {
  "use strict";

  var POLL_MS = 1500;      // how often the page asks whether its session still runs
  var TIMEOUT_MS = 2500;   // an answer slower than this counts as no answer
  var RETRY_MS = 300;      // after no answer, ask again this soon before telling the coach
  var MISSES = 2;          // this many unanswered questions in a row: the server has stopped
  var MESSAGES = {
    server: ["The coaching server stopped: what is on this page is no longer saved. Restart ",
             "callkit workshop", " and reload the page."],
    session: ["This page's coaching session stopped: what is on this page is no longer saved. ",
              "", "Reload the page to start it again."]
  };
  var CONTROLS = ".ck-page button, .ck-page input, .ck-page textarea, .ck-page select";
  var CSS = [
    ".ck-stopped-banner { position: sticky; top: 0; z-index: 10000; display: flex; align-items: center;",
    "  gap: 16px; padding: 14px 20px; background: #b42318; color: #fff; font: 600 18px/1.4 sans-serif; }",
    ".ck-stopped-banner code { background: rgba(255,255,255,.18); padding: 1px 6px; border-radius: 4px; }",
    ".ck-stopped-banner button { font: 600 16px sans-serif; padding: 6px 14px; border: 0; border-radius: 6px;",
    "  background: #fff; color: #b42318; cursor: pointer; white-space: nowrap; }",
    "body.ck-session-stopped .ck-page { opacity: .55; }"
  ].join("\n");

  var state = "running";   // "running", "server" (no answer: may come back) or "session" (kernel gone: final)
  var misses = 0;
  var timer = null;
  var asking = false;
  var kernelUrl = null;
  var disabledByUs = [];
  var observer = null;

  // -- the kernel websocket: a close means "ask now" ---------------------------------------------------------
  var NativeWebSocket = window.WebSocket;
  if (NativeWebSocket) {
    var WatchedWebSocket = function (url, protocols) {
      var ws = protocols === undefined ? new NativeWebSocket(url) : new NativeWebSocket(url, protocols);
      if (String(url).indexOf("/api/kernels/") !== -1) {
        ws.addEventListener("close", function () { askSoon(0); });
      }
      return ws;
    };
    WatchedWebSocket.prototype = NativeWebSocket.prototype;
    ["CONNECTING", "OPEN", "CLOSING", "CLOSED"].forEach(function (name) {
      WatchedWebSocket[name] = NativeWebSocket[name];
    });
    window.WebSocket = WatchedWebSocket;
  }

  // -- asking the server -------------------------------------------------------------------------------------
  function pageConfig() {
    var el = document.getElementById("jupyter-config-data");
    if (!el) { return null; }
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  function askSoon(delay) {
    if (!kernelUrl || state === "session") { return; }
    if (timer !== null) { clearTimeout(timer); }
    timer = setTimeout(ask, delay);
  }

  function ask() {
    timer = null;
    if (asking || state === "session") { return; }
    asking = true;
    var controller = new AbortController();
    var giveUp = setTimeout(function () { controller.abort(); }, TIMEOUT_MS);
    fetch(kernelUrl, { cache: "no-store", credentials: "same-origin", signal: controller.signal })
      .then(function (response) {
        if (!response.ok) { throw new Error("status " + response.status); }
        return response.json();
      })
      .then(function (answer) {
        misses = 0;
        if (answer && answer.running) { resume(); } else { stop("session"); }
      })
      .catch(function () {
        misses += 1;
        if (misses >= MISSES) { stop("server"); }
      })
      .then(function () {
        clearTimeout(giveUp);
        asking = false;
        if (state !== "session") { askSoon(misses > 0 && misses < MISSES ? RETRY_MS : POLL_MS); }
      });
  }

  // -- telling the coach -------------------------------------------------------------------------------------
  function disableControls() {
    document.querySelectorAll(CONTROLS).forEach(function (el) {
      if (!el.disabled) {
        el.disabled = true;
        disabledByUs.push(el);
      }
    });
  }

  function banner() {
    var el = document.querySelector(".ck-stopped-banner");
    if (!el) {
      el = document.createElement("div");
      el.className = "ck-stopped-banner";
      el.setAttribute("role", "alert");
      var text = document.createElement("span");
      text.className = "ck-stopped-text";
      var reload = document.createElement("button");
      reload.type = "button";
      reload.className = "ck-stopped-reload";
      reload.textContent = "Reload the page";
      reload.addEventListener("click", function () { window.location.reload(); });
      el.appendChild(text);
      el.appendChild(reload);
      document.body.insertBefore(el, document.body.firstChild);
    }
    return el;
  }

  function stop(why) {
    if (state === why || state === "session") { return; }
    state = why;
    var parts = MESSAGES[why];
    var text = banner().querySelector(".ck-stopped-text");
    text.textContent = "";
    text.appendChild(document.createTextNode(parts[0]));
    if (parts[1]) {
      var code = document.createElement("code");
      code.textContent = parts[1];
      text.appendChild(code);
    }
    text.appendChild(document.createTextNode(parts[2]));
    document.body.classList.add("ck-session-stopped");
    document.body.setAttribute("data-ck-session", why === "server" ? "server-stopped" : "session-stopped");
    disableControls();
    if (!observer) {  // widgets drawn later (a tab shown for the first time) are disabled too
      observer = new MutationObserver(disableControls);
      observer.observe(document.body, { childList: true, subtree: true });
    }
  }

  function resume() {
    if (state !== "server") { return; }
    state = "running";
    if (observer) { observer.disconnect(); observer = null; }
    disabledByUs.forEach(function (el) { el.disabled = false; });
    disabledByUs = [];
    var el = document.querySelector(".ck-stopped-banner");
    if (el) { el.parentNode.removeChild(el); }
    document.body.classList.remove("ck-session-stopped");
    document.body.setAttribute("data-ck-session", "running");
  }

  function start() {
    var style = document.createElement("style");
    style.textContent = CSS;
    document.head.appendChild(style);
    var config = pageConfig();
    if (!config || !config.kernelId) { return; }
    kernelUrl = (config.baseUrl || "/") + "callkit/api/page/" + encodeURIComponent(config.kernelId);
    document.body.setAttribute("data-ck-session", "running");
    askSoon(POLL_MS);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

/* callkit workshop: drafts belong to this browser.
 *
 * A random id is kept in this browser's localStorage (key "callkit-browser-id") and written into the page's
 * hidden .ck-browser-id box as soon as the widget appears, with an "input" event so the kernel hears it. So what
 * a coach typed comes back after a reload in the same browser, and never on another coach's computer.
 */
(function () {
  "use strict";

  var KEY = "callkit-browser-id";
  var FIELD = ".ck-browser-id input";

  function randomId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function browserId() {
    var id = null;
    try { id = window.localStorage.getItem(KEY); } catch (e) { id = null; }
    if (!id || !/^[0-9a-f]{32}$/.test(id)) {
      id = randomId();
      try { window.localStorage.setItem(KEY, id); } catch (e) { /* private window: this page only */ }
    }
    return id;
  }

  var id = null;

  function fill() {
    var fields = document.querySelectorAll(FIELD);
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      if (field.value !== id) {
        field.value = id;
        field.dispatchEvent(new Event("input", { bubbles: true }));
      }
    }
  }

  function start() {
    id = browserId();
    fill();
    new MutationObserver(fill).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
