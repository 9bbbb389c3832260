// A conversation page: the time box's timer, the coach's "use this", and drafts
// kept whole when the page refreshes itself for a live change.
(function () {
  "use strict";

  var tick;
  var drafts = {};

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function startTimer() {
    window.clearInterval(tick);
    var clock = document.querySelector("#conversation .countdown[data-until]");
    if (!clock) return;
    function show() {
      var left = Math.round((Date.parse(clock.getAttribute("data-until")) - Date.now()) / 1000);
      if (left <= 0) {
        clock.textContent = clock.getAttribute("data-over") || "0:00";
        window.clearInterval(tick);
        return;
      }
      var m = Math.floor(left / 60), s = left % 60;
      clock.textContent = m + ":" + pad(s);
    }
    tick = window.setInterval(show, 1000);
    show();
  }

  document.addEventListener("click", function (event) {
    var take = event.target.closest && event.target.closest("[data-coach-take]");
    if (!take) return;
    var form = take.closest("form");
    var note = take.closest("[data-coach-note]");
    var name = note.getAttribute("data-field") || "text";
    var field = form && (form.querySelector('textarea[name="' + name + '"]') || form.querySelector("textarea"));
    var words = note.querySelector("[data-coach-suggestion]");
    if (!field || !words) return;
    field.value = words.textContent;
    field.focus();
    // Select the first gap so the writer can type their own word into it.
    var gap = field.value.indexOf("…");
    if (gap >= 0) field.setSelectionRange(gap, gap + 1);
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    // A step's answer replaces the section; a live fetch fills the wrapper around it.
    var target = event.detail.target;
    var section = document.getElementById("conversation");
    if (!target || !section || !(target === section || target.contains(section))) return;
    drafts = {};
    section.querySelectorAll("[data-draft]").forEach(function (t) {
      if (t.value) drafts[t.getAttribute("data-draft")] = t.value;
    });
    // A step that went through empties its own box; any other draft is kept. A live
    // redraw (the section's own GET) sent nothing, so it keeps every box.
    var sent = event.detail.requestConfig && event.detail.requestConfig.elt;
    var isForm = sent && sent.tagName === "FORM";
    var box = isForm && sent.querySelector("[data-draft]");
    if (box && event.detail.xhr.status < 400 && !/error-box/.test(event.detail.serverResponse)) {
      delete drafts[box.getAttribute("data-draft")];
    }
  });

  document.addEventListener("htmx:afterSettle", function () {
    var section = document.getElementById("conversation");
    if (!section) return;
    Object.keys(drafts).forEach(function (key) {
      var t = section.querySelector('[data-draft="' + key + '"]');
      if (t && !t.value) t.value = drafts[key];
    });
    drafts = {};
    startTimer();
  });

  document.addEventListener("DOMContentLoaded", startTimer);
})();
