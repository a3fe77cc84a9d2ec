/* Entry wizard: upload with a progress bar (XMLHttpRequest), one click per submission.
   Without JavaScript the forms still work as plain posts. Messages come from data-msg-*
   attributes so they are translated by the template. */
(function () {
  "use strict";
  function mb(bytes) { return (bytes / 1048576).toFixed(1); }
  document.querySelectorAll("form[data-upload]").forEach(function (form) {
    var input = form.querySelector("input[type=file]");
    var bar = form.querySelector("progress");
    var status = form.querySelector(".upload-status");
    var button = form.querySelector("button[type=submit]");
    var max = parseInt(form.getAttribute("data-max-bytes"), 10);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var file = input.files[0];
      if (!file) { status.textContent = form.dataset.msgChoose; return; }
      if (max && file.size > max) {
        status.textContent = form.dataset.msgTooBig.replace("%(size)s", mb(file.size)).replace("%(max)s", mb(max));
        return;
      }
      var data = new FormData(form);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          bar.value = Math.round(100 * e.loaded / e.total);
          status.textContent = form.dataset.msgProgress.replace("%(pct)s", bar.value);
        }
      });
      xhr.addEventListener("load", function () {
        var body = {};
        try { body = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
        if (xhr.status >= 200 && xhr.status < 300) {
          status.textContent = form.dataset.msgDone;
          window.location.reload();
        } else {
          button.disabled = false; bar.hidden = true;
          status.textContent = body.error || form.dataset.msgFailed;
        }
      });
      xhr.addEventListener("error", function () {
        button.disabled = false; bar.hidden = true;
        status.textContent = form.dataset.msgFailed;
      });
      button.disabled = true; bar.hidden = false; bar.value = 0;
      xhr.send(data);
    });
  });
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        setTimeout(function () { b.disabled = true; }, 0);
      });
    });
  });
})();
