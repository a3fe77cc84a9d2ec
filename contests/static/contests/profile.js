/* Entrant profile: the guardian's section appears only when the date of birth makes the
   entrant a minor (under 18 today). The server decides the same way: it asks for the
   guardian's data from minors and drops it for adults, and shows the section itself after a
   minor's date is sent without JavaScript. */
(function () {
  "use strict";
  var born = document.getElementById("id_birth_date");
  var section = document.querySelector("fieldset[data-guardian]");
  if (!born || !section) { return; }
  function isMinor(value) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (!m) { return false; }
    var today = new Date();
    var age = today.getFullYear() - Number(m[1]);
    var month = today.getMonth() + 1, day = today.getDate();
    if (month < Number(m[2]) || (month === Number(m[2]) && day < Number(m[3]))) { age -= 1; }
    return age < 18;
  }
  function update() {
    var hasErrors = section.querySelector(".errorlist") !== null;
    section.hidden = !(isMinor(born.value) || hasErrors);
  }
  born.addEventListener("input", update);
  born.addEventListener("change", update);
  update();
})();
