// The reader's clock: the event's UTC times shown in the browser's own zone and language.
// Without this script the page still shows the organizer's clock, rendered by the server.
(function () {
  "use strict";
  var lang = document.documentElement.lang || undefined;
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  var day = { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: zone };
  var time = { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone };
  var withZone = Object.assign({ timeZoneName: "short" }, time);
  function fmt(date, options) { return new Intl.DateTimeFormat(lang, options).format(date); }
  document.querySelectorAll(".reader-clock[data-start]").forEach(function (node) {
    var start = new Date(node.dataset.start);
    var end = node.dataset.end ? new Date(node.dataset.end) : null;
    if (node.dataset.organizerZone === zone) { return; }
    var text = fmt(start, day) + ", " + fmt(start, end ? time : withZone);
    if (end) {
      text += (fmt(start, day) === fmt(end, day))
        ? "–" + fmt(end, withZone)
        : " – " + fmt(end, day) + ", " + fmt(end, withZone);
    }
    node.textContent = node.dataset.label + " " + text;
    node.hidden = false;
  });
})();
