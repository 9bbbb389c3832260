// Live signals: one EventSource per page; events name what changed and the page
// re-fetches the HTML. Reconnects by itself; the server replays what it missed.
(function () {
  "use strict";

  var live, source, tick, notice;

  var asked = 0;

  function refreshBanner() {
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
    });
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function startCountdown() {
    window.clearInterval(tick);
    var clock = live.querySelector(".countdown[data-until]");
    if (!clock) return;
    var until = Date.parse(clock.getAttribute("data-until"));
    function show() {
      var left = Math.max(0, Math.round((until - Date.now()) / 1000));
      var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
      clock.textContent = (h ? h + ":" + pad(m) : m) + ":" + pad(s);
      if (left === 0) {
        window.clearInterval(tick);
        notify(live.getAttribute("data-notify-return"));
        refreshBanner();
      }
    }
    show();
    tick = window.setInterval(show, 1000);
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
    // Pages that show this kind of thing listen with hx-trigger="mend:<type> from:body".
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
    source = new EventSource(live.getAttribute("data-stream"));
    source.onmessage = onEvent;
    window.addEventListener("pagehide", function () { source.close(); });
  });
})();
