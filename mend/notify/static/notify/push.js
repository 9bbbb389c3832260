// Turning Web Push on: the browser's permission prompt comes only after the person
// presses the button; then the subscription goes to Mend in an ordinary form post.
(function () {
  "use strict";

  function b64url(buffer) {
    var bytes = new Uint8Array(buffer), text = "";
    for (var i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function keyBytes(text) {
    var raw = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  function start() {
    var form = document.getElementById("push-on");
    if (!form) return;
    var status = document.getElementById("push-status");
    function say(which) {
      status.textContent = status.getAttribute("data-" + which);
      status.hidden = false;
    }
    form.addEventListener("submit", function (event) {
      if (form.elements.endpoint.value) return;
      event.preventDefault();
      if (!form.elements.name.value.trim()) { form.reportValidity(); return; }
      if (!("serviceWorker" in navigator) || !("PushManager" in window) ||
          !("Notification" in window)) { say("unsupported"); return; }
      Notification.requestPermission().then(function (answer) {
        if (answer !== "granted") { say("denied"); return undefined; }
        return navigator.serviceWorker.register(document.body.getAttribute("data-worker"))
          .then(function () { return navigator.serviceWorker.ready; })
          .then(function (registration) {
            return registration.pushManager.subscribe({
              userVisibleOnly: true,
              applicationServerKey: keyBytes(form.getAttribute("data-key")),
            });
          })
          .then(function (subscription) {
            form.elements.endpoint.value = subscription.endpoint;
            form.elements.p256dh.value = b64url(subscription.getKey("p256dh"));
            form.elements.auth.value = b64url(subscription.getKey("auth"));
            form.submit();
          });
      }).catch(function () { say("failed"); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
