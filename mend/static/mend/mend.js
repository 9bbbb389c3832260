// Mend's small script: quick exit, time zone default, the offline worker, nothing that
// tracks anyone.
(function () {
  "use strict";

  var EXITED = "mend-quick-exit";

  function neutralUrl() {
    return document.body.getAttribute("data-quick-exit") || "/kitchen/";
  }

  function quickExit(event) {
    if (event) event.preventDefault();
    // replace() takes this page out of the tab's history; the mark below makes any
    // earlier Mend page the Back button reaches leave again at once (GOV.UK's
    // exit-this-page pattern), so Back never shows Mend again in this tab.
    try { window.sessionStorage.setItem(EXITED, "1"); } catch (e) { /* private mode */ }
    window.location.replace(neutralUrl());
  }

  window.addEventListener("pageshow", function (event) {
    var exited = false;
    try { exited = window.sessionStorage.getItem(EXITED) === "1"; } catch (e) { /* none */ }
    if (!exited) return;
    var nav = window.performance && performance.getEntriesByType
      ? performance.getEntriesByType("navigation")[0] : null;
    if (event.persisted || (nav && nav.type === "back_forward")) {
      window.location.replace(neutralUrl());
    } else {
      // Someone opened Mend again on purpose: Back works as usual from here.
      try { window.sessionStorage.removeItem(EXITED); } catch (e) { /* none */ }
    }
  });

  var lastEscape = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var now = Date.now();
    if (now - lastEscape < 1000) {
      quickExit(event);
    }
    lastEscape = now;
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-quick-exit-link]");
    if (link) quickExit(event);
  });

  function offline() {
    // The worker keeps grounding and help working offline (see its own comments).
    if (!("serviceWorker" in navigator) || !window.caches) return;
    var body = document.body;
    var ready = Promise.resolve();
    if (body.hasAttribute("data-signed-out")) {
      // It never keeps a signed-in page; still, signing out empties every cache it has.
      ready = caches.keys().then(function (keys) {
        return Promise.all(keys.map(function (key) { return caches.delete(key); }));
      }).then(function () {
        body.setAttribute("data-offline-cleared", "");
        var worker = navigator.serviceWorker.controller;
        if (worker) worker.postMessage("refill");
      });
    }
    ready.then(function () {
      return navigator.serviceWorker.register(body.getAttribute("data-worker"), { scope: "/" });
    }).catch(function () { /* no offline copy: every page still works online */ });
  }

  // Signing in or up derives keys for up to a second: say so, and don't send it twice.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-busy") || event.defaultPrevented) return;
    var text = form.getAttribute("data-busy");
    var button = form.querySelector("button[type=submit]");
    if (button) {
      button.setAttribute("data-idle", button.textContent);
      button.textContent = text;
      // Disabled only after this submit has started, so its own request goes ahead.
      window.setTimeout(function () { button.disabled = true; }, 0);
    }
    var status = form.querySelector("[data-busy-status]");
    if (status) status.textContent = text;
    form.setAttribute("aria-busy", "true");
  });

  // A double click sends a form once: a second submit of the same form within two
  // seconds is the same press. (htmx drops a repeat while its request is out, and
  // the forms above disable their button.)
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form.getAttribute || form.method !== "post") return;
    var now = Date.now();
    if (now - Number(form.getAttribute("data-sent-at") || 0) < 2000) {
      event.preventDefault();
      return;
    }
    form.setAttribute("data-sent-at", String(now));
  });

  window.addEventListener("pageshow", function () {
    // Back to a page left mid-submit (the browser kept it): ready to use again.
    document.querySelectorAll("form[data-sent-at]").forEach(function (form) {
      form.removeAttribute("data-sent-at");
    });
    document.querySelectorAll("form[aria-busy]").forEach(function (form) {
      form.removeAttribute("aria-busy");
      var button = form.querySelector("button[type=submit][data-idle]");
      if (button) { button.disabled = false; button.textContent = button.getAttribute("data-idle"); }
      var status = form.querySelector("[data-busy-status]");
      if (status) status.textContent = "";
    });
  });

  document.addEventListener("DOMContentLoaded", function () {
    offline();
    // Offer the browser's own time zone as the default on sign-up.
    var zone = document.querySelector("select[name=time_zone][data-guess]");
    if (zone && window.Intl) {
      var guess = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (guess && zone.querySelector('option[value="' + guess + '"]')) zone.value = guess;
    }
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var target = document.getElementById(button.getAttribute("data-copy"));
        if (target && navigator.clipboard) {
          navigator.clipboard.writeText(target.textContent.trim()).then(function () {
            button.textContent = button.getAttribute("data-copied") || button.textContent;
          });
        }
      });
    });
  });
})();
