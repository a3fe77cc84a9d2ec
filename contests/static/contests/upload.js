/* Entry wizard: upload with a progress bar (XMLHttpRequest), a drop zone that starts the
   upload when a file is dropped on it, and one click per submission. Without JavaScript the
   forms still work as plain posts (the file input and the «Subir» button). Messages come
   from data-msg-* attributes so they are translated by the template. The server checks
   every file the same way whichever way it arrives. */
(function () {
  "use strict";
  function mb(bytes) { return (bytes / 1048576).toFixed(1); }
  document.querySelectorAll("form[data-upload]").forEach(function (form) {
    var input = form.querySelector("input[type=file]");
    var bar = form.querySelector("progress");
    var status = form.querySelector(".upload-status");
    var button = form.querySelector("button[type=submit]");
    var zone = form.querySelector("[data-dropzone]");
    var max = parseInt(form.getAttribute("data-max-bytes"), 10);
    var busy = false;

    function fail(message) {
      busy = false; button.disabled = false; bar.hidden = true;
      status.textContent = message;
    }

    function send() {
      if (busy) { return; }
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
          fail(body.error || form.dataset.msgFailed);
        }
      });
      xhr.addEventListener("error", function () { fail(form.dataset.msgFailed); });
      busy = true; button.disabled = true; bar.hidden = false; bar.value = 0;
      xhr.send(data);
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      send();
    });

    if (zone) {
      zone.querySelector(".dropzone-hint").hidden = false;
      ["dragenter", "dragover"].forEach(function (name) {
        zone.addEventListener(name, function (event) {
          event.preventDefault();
          zone.classList.add("is-over");
        });
      });
      zone.addEventListener("dragleave", function () { zone.classList.remove("is-over"); });
      zone.addEventListener("drop", function (event) {
        event.preventDefault();
        zone.classList.remove("is-over");
        var files = event.dataTransfer && event.dataTransfer.files;
        if (!files || files.length === 0) { return; }
        if (files.length > 1) { status.textContent = form.dataset.msgOne; return; }
        input.files = files;
        send();
      });
    }
  });
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        setTimeout(function () { b.disabled = true; }, 0);
      });
    });
  });
})();
