/* The jury's scoring page: the weighted total follows the scores as they are typed (the
   server computes it again when saving), and a form is sent only once. No framework. */
(function () {
  "use strict";

  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) {
        event.preventDefault();
        return;
      }
      form.dataset.sent = "1";
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        b.setAttribute("aria-disabled", "true");
      });
    });
  });

  var form = document.querySelector("form[data-jury-scores]");
  var data = document.getElementById("jury-weights");
  if (!form || !data) return;
  var criteria = JSON.parse(data.textContent);
  var box = form.querySelector(".jury-total");
  var out = box.querySelector("[data-total]");
  var note = box.querySelector("[data-total-note]");
  var abstained = form.querySelector("input[name=abstained]");

  function value(c) {
    var input = document.getElementById(c.field);
    var text = input ? input.value.trim() : "";
    if (!/^-?\d+$/.test(text)) return null;
    var n = parseInt(text, 10);
    return n >= c.min && n <= c.max ? n : null;
  }

  /* The same arithmetic as contests.domain.results.weighted_total. */
  function update() {
    if (abstained && abstained.checked) {
      out.textContent = box.dataset.msgAbstained;
      note.textContent = "";
      return;
    }
    var weighted = 0, weights = 0, missing = 0;
    criteria.forEach(function (c) {
      var v = value(c);
      if (v === null) { missing += 1; return; }
      weighted += c.weight * (v - c.min) / (c.max - c.min) * 100;
      weights += c.weight;
    });
    out.textContent = weights ? (Math.round(weighted / weights * 10) / 10).toFixed(1) : "—";
    note.textContent = missing === 0 ? "" : "(" + (missing === 1 ? box.dataset.msgMissingOne
      : box.dataset.msgMissingMany.replace("%(n)s", missing)) + ")";
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
