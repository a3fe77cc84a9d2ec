/* Call page: the time left before the deadline, updated every second. Without JavaScript the
   deadline is still written out. Words come from data-msg-* attributes (translated by the
   template). */
(function () {
  "use strict";
  var box = document.querySelector("[data-deadline]");
  if (!box) return;
  var end = new Date(box.getAttribute("data-deadline")).getTime();
  var out = box.querySelector("[data-countdown]");
  function tick() {
    var left = Math.max(0, Math.floor((end - Date.now()) / 1000));
    var d = Math.floor(left / 86400), h = Math.floor(left % 86400 / 3600);
    var m = Math.floor(left % 3600 / 60), s = left % 60;
    out.textContent = left
      ? box.getAttribute("data-msg-left") + " " + d + " d " + h + " h " + m + " min " + s + " s"
      : box.getAttribute("data-msg-closed");
  }
  tick();
  setInterval(tick, 1000);
})();
