// The reader's clock: the event's UTC times shown in the browser's own zone and language.
// Without this script the page still shows the organizer's clock, rendered by the server.
(function () {
  "use strict";
  var lang = document.documentElement.lang || undefined;
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  // The browser's own (CLDR) patterns join date and time the way each language does.
  var format = new Intl.DateTimeFormat(lang, {
    weekday: "long", day: "numeric", month: "long", year: "numeric",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short", timeZone: zone
  });
  document.querySelectorAll(".reader-clock[data-start]").forEach(function (node) {
    if (node.dataset.organizerZone === zone) { return; }
    var start = new Date(node.dataset.start);
    var end = node.dataset.end ? new Date(node.dataset.end) : null;
    var text = end && format.formatRange ? format.formatRange(start, end) : format.format(start);
    node.textContent = node.dataset.label + " " + text;
    node.hidden = false;
  });
})();
