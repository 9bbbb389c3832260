// Mend's small script: quick exit, time zone default, nothing else that tracks anyone.
(function () {
  "use strict";

  function quickExit(event) {
    if (event) event.preventDefault();
    var url = document.body.getAttribute("data-quick-exit") || "/kitchen/";
    // replace() so the Back button does not return to Mend.
    window.location.replace(url);
  }

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

  document.addEventListener("DOMContentLoaded", function () {
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
            button.textContent = button.getAttribute("data-copied") || "Copied";
          });
        }
      });
    });
  });
})();
