/* The publishing calendar: drag a scheduled post to another day to move it (keeps its time),
 * or, in the week view, to another hour slot (keeps its minutes).
 * Progressive enhancement: without this script every movable entry has «Cambiar fecha». */
(function () {
  "use strict";
  var table = document.querySelector(".enlace-calendar");
  var status = document.getElementById("enlace-cal-status");
  var tokenInput = document.querySelector(".enlace-cal-csrf input[name=csrfmiddlewaretoken]");
  if (!table || !status || !tokenInput) { return; }
  var dragged = null;

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle("is-error", Boolean(isError));
  }

  function cellOf(node) {
    while (node && node !== table) {
      if (node.tagName === "TD") { return node; }
      node = node.parentNode;
    }
    return null;
  }

  table.addEventListener("dragstart", function (event) {
    var entry = event.target.closest ? event.target.closest(".enlace-entry.is-movable") : null;
    if (!entry) { return; }
    dragged = entry;
    entry.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", entry.getAttribute("data-post"));
  });

  table.addEventListener("dragend", function () {
    if (dragged) { dragged.classList.remove("is-dragging"); }
    table.querySelectorAll(".is-drop-target").forEach(function (td) { td.classList.remove("is-drop-target"); });
  });

  table.addEventListener("dragover", function (event) {
    var cell = cellOf(event.target);
    if (!dragged || !cell || !cell.hasAttribute("data-day")) { return; }
    event.preventDefault();  // allows the drop
    event.dataTransfer.dropEffect = "move";
    cell.classList.add("is-drop-target");
  });

  table.addEventListener("dragleave", function (event) {
    var cell = cellOf(event.target);
    if (cell && !cell.contains(event.relatedTarget)) { cell.classList.remove("is-drop-target"); }
  });

  table.addEventListener("drop", function (event) {
    var cell = cellOf(event.target);
    if (!dragged || !cell || !cell.hasAttribute("data-day")) { return; }
    event.preventDefault();
    cell.classList.remove("is-drop-target");
    var entry = dragged;
    dragged = null;
    if (cellOf(entry) === cell) { return; }
    var body = new FormData();
    body.append("fecha", cell.getAttribute("data-day"));
    var hour = cell.getAttribute("data-hour");
    if (hour !== null) {
      var shown = entry.querySelector("time");
      var minutes = shown ? shown.textContent.trim().split(":")[1] || "00" : "00";
      body.append("hora", ("0" + hour).slice(-2) + ":" + minutes);
    }
    entry.classList.add("is-saving");
    fetch(entry.getAttribute("data-move-url"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: {"Accept": "application/json", "X-CSRFToken": tokenInput.value},
    }).then(function (response) {
      return response.json().catch(function () { return {ok: false}; });
    }).then(function (answer) {
      entry.classList.remove("is-saving");
      if (!answer.ok) {
        say(answer.message || status.getAttribute("data-failed"), true);
        return;
      }
      cell.appendChild(entry);
      cell.classList.remove("empty");
      var time = entry.querySelector("time");
      if (time && answer.time) { time.textContent = answer.time; }
      say(answer.message, false);
    }).catch(function () {
      entry.classList.remove("is-saving");
      say(status.getAttribute("data-failed"), true);
    });
  });
})();
