// Live signals: one EventSource per page; events name what changed and the page
// re-fetches the HTML. Reconnects by itself; the server replays what it missed.
(function () {
  "use strict";

  var live, source, tick, notice;

  var asked = 0;

  function refreshBanner() {
    // A page with a stream of its own (a witness's) has no banner to show.
    if (!live.getAttribute("data-banner")) return;
    // Only the newest answer is shown, whatever order the answers arrive in.
    var mine = ++asked;
    return fetch(live.getAttribute("data-banner"), {
      credentials: "same-origin",
      headers: { "HX-Request": "true" },
    }).then(function (r) { return r.ok ? r.text() : ""; }).then(function (html) {
      if (mine !== asked) return;
      live.innerHTML = html;
      if (window.htmx) window.htmx.process(live);
      startCountdown();
      updateControl();
    });
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function startCountdown() {
    // One tick for every running signal's clock: both partners' can run at once.
    window.clearInterval(tick);
    var clocks = Array.prototype.slice.call(live.querySelectorAll(".countdown[data-until]"));
    if (!clocks.length) return;
    function show() {
      var over = false;
      clocks.forEach(function (clock) {
        var until = Date.parse(clock.getAttribute("data-until"));
        var left = Math.max(0, Math.round((until - Date.now()) / 1000));
        var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
        clock.textContent = (h ? h + ":" + pad(m) : m) + ":" + pad(s);
        // Only a clock seen running counts, so a skewed device clock can't loop.
        if (left > 0) clock.setAttribute("data-ran", "");
        else if (clock.hasAttribute("data-ran")) over = true;
      });
      if (over) {
        window.clearInterval(tick);
        notify(live.getAttribute("data-notify-return"));
        refreshBanner();
      }
    }
    tick = window.setInterval(show, 1000);
    show();
  }

  function updateControl() {
    // While your own pause runs, the header control takes you to it instead.
    var control = document.querySelector("[data-pause-control]");
    if (!control) return;
    var mine = live.querySelector("[data-mine]") ? "mine" : "send";
    control.textContent = control.getAttribute("data-" + mine + "-label");
    control.setAttribute("href", control.getAttribute("data-" + mine + "-href"));
  }

  function notify(body) {
    if (!("Notification" in window) || Notification.permission !== "granted") return;
    try {
      new Notification(live.getAttribute("data-notify-title"), { body: body, tag: "mend-pause" });
    } catch (e) { /* Some browsers allow notifications only from a service worker. */ }
  }

  function say(text) {
    notice.textContent = text;
    notice.hidden = false;
  }

  function onEvent(message) {
    var data;
    try { data = JSON.parse(message.data); } catch (e) { return; }
    if (data.type === "hello") {
      refreshBanner();
      // Pages that may have missed a change while connecting listen for this.
      document.body.dispatchEvent(new CustomEvent("mend:hello", { detail: data }));
      // Away too long to be told what changed: every live part fetches itself again.
      (data.stale ? data.types || [] : []).forEach(function (type) {
        document.body.dispatchEvent(new CustomEvent("mend:" + type, { detail: data }));
      });
      return;
    }
    if (data.type === "signal") {
      refreshBanner();
      if (!data.mine && ["pause", "slow", "stop"].indexOf(data.change) !== -1) {
        notify(live.getAttribute("data-notify-body"));
      }
    }
    if (data.type === "intimacy" && !data.mine) {
      if (data.change === "down") say(live.getAttribute("data-gentler"));
      if (data.change === "up") say(live.getAttribute("data-together"));
    }
    // Pages that show this kind of thing listen with hx-trigger="mend:<type> from:body"
    // and hx-sync="this:replace" (htmx would drop a change that comes while the last
    // one is still being fetched, and the page would stay behind), with
    // hx-disinherit="hx-sync" (or "*") so that a form inside is never cut off by a change.
    document.body.dispatchEvent(new CustomEvent("mend:" + data.type, { detail: data }));
  }

  function askForNotifications() {
    var button = document.querySelector("[data-notify-ask]");
    if (!button || !("Notification" in window) || Notification.permission !== "default") return;
    button.hidden = false;
    // Asked only when the person presses the button, never on load.
    button.addEventListener("click", function () {
      Notification.requestPermission().then(function () { button.hidden = true; });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    live = document.getElementById("safety-live");
    notice = document.getElementById("safety-notice");
    if (!live || !window.EventSource) return;
    askForNotifications();
    // After ending, extending or saying ready here, the swapped banner needs its clocks.
    live.addEventListener("htmx:afterSwap", function () {
      startCountdown();
      updateControl();
    });
    source = new EventSource(live.getAttribute("data-stream"));
    source.onmessage = onEvent;
    window.addEventListener("pagehide", function () { source.close(); });
  });
})();
