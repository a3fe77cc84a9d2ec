/* Live character counter and per-network preview for the post editor.
   Mirrors campaigns/text.py (the server re-checks everything). */
(function () {
  /* The admin's language (Wagtail sets <html lang>): Spanish first, English when chosen. */
  var EN = (document.documentElement.lang || "es").toLowerCase().indexOf("en") === 0;
  var T = EN ? {
    choose: "Choose one or more channels to see the count and the preview.",
    caption: "Telegram (image caption)", over: " — over by ", images: " image(s)",
    title: "Count and preview per network", part: "part %n of %t", now: "It will be sent as soon as it is published.",
    unreadable: "“%s” is not a date and time that can be read. Write it as dd/mm/yyyy hh:mm " +
      "in Mexico City time, for example 26/11/2026 15:30."
  } : {
    choose: "Elija uno o más canales para ver el conteo y la vista previa.",
    caption: "Telegram (pie de imagen)", over: " — excede por ", images: " imagen(es)",
    title: "Conteo y vista previa por red", part: "parte %n de %t", now: "Se enviará en cuanto se publique.",
    unreadable: "No se reconoce «%s» como fecha y hora. Escríbala como dd/mm/aaaa hh:mm en " +
      "hora del centro de México, por ejemplo 26/11/2026 15:30."
  };
  "use strict";
  var configNode = document.getElementById("enlace-composer-config");
  if (!configNode) return;
  var config = JSON.parse(configNode.textContent);
  var URL_RE = /\b(?:https?:\/\/|www\.)[^\s<>"]+[^\s<>".,;:!?)\]'»”]/gi;
  var EMOJI_RE = /(?:[\u{1F000}-\u{1FAFF}\u2600-\u27BF\u2B00-\u2BFF](?:[\u{1F3FB}-\u{1F3FF}]|\uFE0F)?(?:\u200D[\u{1F000}-\u{1FAFF}\u2600-\u27BF](?:[\u{1F3FB}-\u{1F3FF}]|\uFE0F)?)*)/gu;
  var LIGHT = [[0, 4351], [8192, 8205], [8208, 8223], [8242, 8247]];

  function charWeight(cp) {
    for (var i = 0; i < LIGHT.length; i++) if (cp >= LIGHT[i][0] && cp <= LIGHT[i][1]) return 1;
    return 2;
  }
  function plainWeight(text) {
    var total = 0;
    var rest = text.replace(EMOJI_RE, function () { total += 2; return ""; });
    for (var ch of rest) total += charWeight(ch.codePointAt(0));
    return total;
  }
  function xLength(text) {
    text = text.normalize("NFC");
    var total = 0, last = 0, m;
    URL_RE.lastIndex = 0;
    while ((m = URL_RE.exec(text)) !== null) {
      total += plainWeight(text.slice(last, m.index)) + 23;
      last = m.index + m[0].length;
    }
    return total + plainWeight(text.slice(last));
  }
  function telegramLength(text) { return text.length; /* UTF-16 code units, as Telegram counts */ }
  function hashtag(tag) {
    tag = tag.trim().replace(/^#+/, "");
    var words = tag.split(/[\s_\-]+/).filter(Boolean);
    var joined = words.map(function (w) { return words.length > 1 ? w.charAt(0).toUpperCase() + w.slice(1) : w; }).join("");
    return "#" + joined.replace(/[^\p{L}\p{N}_]/gu, "");
  }
  function hasTag(text, tag) {
    var escaped = tag.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return new RegExp(escaped + "(?![\\p{L}\\p{N}_])", "iu").test(text);
  }
  function compose(base, link, tags) {
    var text = base.trim();
    if (link && text.indexOf(link) === -1) text = text ? text + "\n\n" + link : link;
    var wanted = [];
    [config.hashtag].concat(tags).forEach(function (t) {
      var tag = t ? hashtag(t) : "";
      if (tag.length > 1 && !hasTag(text, tag) && wanted.map(function (w) { return w.toLowerCase(); }).indexOf(tag.toLowerCase()) === -1) wanted.push(tag);
    });
    if (wanted.length) text = text ? text + "\n\n" + wanted.join(" ") : wanted.join(" ");
    return text;
  }
  /* Threads: a line of --- splits the text; on X the link and hashtags go with part 1. */
  var SEPARATOR = /^[ \t]*-{3,}[ \t]*$/m;
  function splitParts(text) {
    var parts = text.split(new RegExp(SEPARATOR.source, "gm")).map(function (p) { return p.trim(); }).filter(Boolean);
    return parts.length ? parts : [""];
  }
  function composeParts(base, link, tags, kind) {
    var parts = splitParts(base);
    if (kind !== "x" || parts.length < 2) return [compose(parts.join("\n\n"), link, tags)];
    var inThread = link && parts.some(function (p) { return p.indexOf(link) !== -1; });
    return [compose(parts[0], inThread ? "" : link, tags)].concat(parts.slice(1));
  }
  function value(selector) { var el = document.querySelector(selector); return el ? el.value : ""; }

  function imageCount() {
    var count = 0;
    document.querySelectorAll('input[name^="images-"][name$="-image"]').forEach(function (input) {
      var prefix = input.name.replace(/-image$/, "");
      var del = document.querySelector('input[name="' + prefix + '-DELETE"]');
      if (input.value && !(del && (del.checked || del.value === "1"))) count++;
    });
    return count;
  }
  function variants() {
    var found = {};
    document.querySelectorAll('select[name^="variants-"][name$="-channel"]').forEach(function (select) {
      var prefix = select.name.replace(/-channel$/, "");
      var del = document.querySelector('input[name="' + prefix + '-DELETE"]');
      var text = document.querySelector('textarea[name="' + prefix + '-text"]');
      if (select.value && text && text.value.trim() && !(del && (del.checked || del.value === "1"))) found[select.value] = text.value;
    });
    return found;
  }

  function render(box) {
    var text = value('textarea[name="text"]');
    var link = value('input[name="link"]');
    var tags = value('input[name="tags"]').split(",").map(function (t) { return t.trim(); }).filter(Boolean);
    var images = imageCount();
    var vs = variants();
    var chosen = Array.prototype.filter.call(document.querySelectorAll('input[name="channels"]'), function (c) { return c.checked; });
    box.innerHTML = "";
    if (!chosen.length) { box.textContent = T.choose; return; }
    chosen.forEach(function (input) {
      var channel = {name: input.getAttribute("data-name") || input.value,
                     kind: input.getAttribute("data-kind") || ""};
      composeParts(vs[input.value] || text, link, tags, channel.kind).forEach(function (composed, index, all) {
        var length, limit, label, photos = index === 0 ? images : 0;
        if (channel.kind === "x") { length = xLength(composed); limit = 280; label = "X"; }
        else if (channel.kind === "telegram") { length = telegramLength(composed); limit = photos ? 1024 : 4096; label = photos ? T.caption : "Telegram"; }
        else { length = composed.length; limit = Infinity; label = channel.kind; }
        if (all.length > 1) label += " · " + T.part.replace("%n", index + 1).replace("%t", all.length);
        var item = document.createElement("div");
        item.className = "enlace-preview enlace-preview-" + channel.kind + (length > limit ? " over" : "");
        var head = document.createElement("p");
        head.className = "enlace-count";
        head.setAttribute("aria-live", "polite");
        head.textContent = channel.name + " · " + label + ": " + length + " / " + limit +
          (length > limit ? T.over + (length - limit) : "") + (photos ? " · " + photos + T.images : "");
        var body = document.createElement("div");
        body.className = "enlace-preview-body";
        body.textContent = composed;
        item.appendChild(head); item.appendChild(body);
        box.appendChild(item);
      });
    });
  }

  /* The send time: typed and read back in Mexico City time, whatever the browser's zone.
     Mirrors campaigns/sendtime.py; the server is the judge and refuses what it cannot read. */
  var DAYS = EN ? ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
               : ["domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"];
  var MONTHS = EN ? ["January", "February", "March", "April", "May", "June", "July", "August",
                     "September", "October", "November", "December"]
                  : ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                     "septiembre", "octubre", "noviembre", "diciembre"];
  function parseSendTime(text) {
    text = text.trim().replace(/\s+/g, " ");
    var meridiem = null;
    var m = /\s*([ap])\.?\s*m\.?\s*$/i.exec(text);
    if (m) { meridiem = m[1].toLowerCase(); text = text.slice(0, m.index).trim(); }
    var parts = /^(\d{1,2})[\/-](\d{1,2})[\/-](\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text);
    var y, mo, d;
    if (parts) { d = +parts[1]; mo = +parts[2]; y = +parts[3]; }
    else {
      parts = /^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text);
      if (!parts) return null;
      y = +parts[1]; mo = +parts[2]; d = +parts[3];
    }
    var h = +parts[4], min = +parts[5], sec = parts[6] ? +parts[6] : 0;
    if (meridiem) {
      if (h < 1 || h > 12) return null;
      h = (h % 12) + (meridiem === "p" ? 12 : 0);
    }
    if (mo < 1 || mo > 12 || d < 1 || h > 23 || min > 59 || sec > 59) return null;
    /* Calendar arithmetic in UTC: no browser time zone is involved. */
    var check = new Date(Date.UTC(y, mo - 1, d));
    if (check.getUTCDate() !== d || check.getUTCMonth() !== mo - 1) return null;
    return {y: y, mo: mo, d: d, h: h, min: min, weekday: check.getUTCDay()};
  }
  function two(n) { return (n < 10 ? "0" : "") + n; }
  function sendTimeWords(text) {
    if (!text.trim()) return {ok: true, words: T.now};
    var t = parseSendTime(text);
    if (!t) return {ok: false, words: T.unreadable.replace("%s", text.trim())};
    var thisYear = new Intl.DateTimeFormat("en", {timeZone: "America/Mexico_City", year: "numeric"}).format(new Date());
    var sameYear = String(t.y) === thisYear, time = two(t.h) + ":" + two(t.min);
    if (EN) {
      return {ok: true, words: "It will be sent on " + DAYS[t.weekday] + ", " + t.d + " " +
        MONTHS[t.mo - 1] + (sameYear ? "" : " " + t.y) + " at " + time + ", Mexico City time."};
    }
    return {ok: true, words: "Se enviará el " + DAYS[t.weekday] + " " + t.d + " de " + MONTHS[t.mo - 1] +
      (sameYear ? "" : " de " + t.y) + " a las " + time + ", hora del centro de México."};
  }
  function setupSendTime() {
    var input = document.querySelector("input[data-enlace-send-time]");
    if (!input) return;
    var note = document.createElement("p");
    note.id = "enlace-send-time-words";
    note.className = "enlace-send-time";
    note.setAttribute("aria-live", "polite");
    input.setAttribute("aria-describedby", ((input.getAttribute("aria-describedby") || "") + " enlace-send-time-words").trim());
    input.after(note);
    var update = function () {
      var said = sendTimeWords(input.value);
      note.textContent = said.words;
      note.classList.toggle("enlace-send-time-error", !said.ok);
    };
    input.addEventListener("input", update);
    input.addEventListener("change", update);
    update();
  }

  function setup() {
    setupSendTime();
    var textarea = document.querySelector('textarea[name="text"]');
    if (!textarea || !document.querySelector('input[name="channels"]')) return;
    var box = document.createElement("div");
    box.className = "enlace-composer";
    box.id = "enlace-composer";
    var title = document.createElement("h3");
    title.textContent = T.title;
    var wrapper = document.createElement("section");
    wrapper.appendChild(title); wrapper.appendChild(box);
    textarea.closest(".w-field__wrapper, .w-field, div").after(wrapper);
    var update = function () { render(box); };
    document.addEventListener("input", update);
    document.addEventListener("change", update);
    update();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup); else setup();
})();
