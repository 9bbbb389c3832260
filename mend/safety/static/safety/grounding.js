// Grounding exercises: no network at all, so they keep working offline once loaded.
(function () {
  "use strict";

  function setupBreathing() {
    var box = document.querySelector("[data-breath]");
    if (!box) return;
    var circle = box.querySelector(".breath-circle");
    var say = box.querySelector("[data-breath-say]");
    var words = document.querySelector("[data-words]").dataset;
    var start = document.querySelector("[data-breath-start]");
    var stop = document.querySelector("[data-breath-stop]");
    var timer = null;

    function pattern() {
      var checked = document.querySelector("input[name=pattern]:checked");
      return checked.getAttribute("data-pattern").split(",").map(Number);
    }

    function phase(index) {
      var p = pattern();
      var names = [words.in, words.hold, words.out, words.rest];
      var states = ["in", "hold", "out", "rest"];
      var seconds = p[index % 4];
      if (!seconds) return phase(index + 1);
      circle.className = "breath-circle " + states[index % 4];
      circle.style.setProperty("--phase", seconds + "s");
      say.textContent = names[index % 4] + " (" + seconds + ")";
      timer = window.setTimeout(function () { phase(index + 1); }, seconds * 1000);
    }

    start.addEventListener("click", function () {
      window.clearTimeout(timer);
      start.hidden = true;
      stop.hidden = false;
      phase(0);
    });
    stop.addEventListener("click", function () {
      window.clearTimeout(timer);
      circle.className = "breath-circle";
      say.textContent = "";
      stop.hidden = true;
      start.hidden = false;
      start.focus();
    });
  }

  function setupSenses() {
    var list = document.querySelector("[data-senses]");
    if (!list) return;
    var items = list.querySelectorAll("li");
    var next = document.querySelector("[data-senses-next]");
    var restart = document.querySelector("[data-senses-restart]");
    var done = document.querySelector("[data-senses-done]");
    var at = 0;

    function show() {
      items.forEach(function (item, i) {
        item.classList.toggle("current", i === at);
        item.classList.toggle("past", i < at);
        if (i === at) item.setAttribute("aria-current", "step");
        else item.removeAttribute("aria-current");
      });
      done.hidden = at < items.length;
      next.hidden = at >= items.length;
      restart.hidden = at === 0;
    }
    next.addEventListener("click", function () { at += 1; show(); });
    restart.addEventListener("click", function () { at = 0; show(); next.focus(); });
    show();
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupBreathing();
    setupSenses();
  });
})();
