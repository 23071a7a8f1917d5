// The reader's clock: the event's UTC times shown in the browser's own zone, written as
// the server writes the organizer's clock (the same CLDR locale, 24-hour times, the same
// wording from the page's data-* attributes), so both clocks read alike in every language.
// Without this script the page still shows the organizer's clock, rendered by the server.
(function () {
  "use strict";
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }

  var TIMES = /\d{2}:\d{2}(?:\s?[–-]\s?\d{2}:\d{2})?/g;

  function fill(pattern, values) {
    return pattern.replace(/%\((\w+)\)s/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : whole;
    });
  }

  function writer(locale) {
    var day = new Intl.DateTimeFormat(locale, { dateStyle: "full", timeZone: zone });
    var time = new Intl.DateTimeFormat(locale, {
      hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone
    });
    var zoneName = new Intl.DateTimeFormat(locale, { timeZoneName: "short", timeZone: zone });
    return {
      day: function (moment) { return day.format(moment); },
      time: function (moment) { return time.format(moment); },
      zone: function (moment) {
        var part = zoneName.formatToParts(moment).filter(function (p) {
          return p.type === "timeZoneName";
        })[0];
        return part ? part.value : zone;
      }
    };
  }

  document.querySelectorAll(".reader-clock[data-start]").forEach(function (node) {
    if (node.dataset.organizerZone === zone) { return; }
    var data = node.dataset;
    var write;
    try { write = writer(data.locale || document.documentElement.lang || undefined); }
    catch (e) { write = writer(undefined); }
    var start = new Date(data.start);
    var end = data.end ? new Date(data.end) : null;
    var text;
    if (!end) {
      text = fill(data.single, { day: write.day(start), start: write.time(start), zone: write.zone(start) });
    } else if (write.day(start) === write.day(end)) {
      var startZone = write.zone(start), endZone = write.zone(end);
      text = fill(data.day, {
        day: write.day(start), start: write.time(start), end: write.time(end),
        zone: startZone === endZone ? endZone : startZone + "/" + endZone
      });
    } else {
      text = fill(data.days, {
        start_day: write.day(start), start: write.time(start), start_zone: write.zone(start),
        end_day: write.day(end), end: write.time(end), end_zone: write.zone(end)
      });
    }
    if (document.documentElement.dir === "rtl") {
      // Each time or range runs left to right, as the server isolates the organizer's.
      text = text.replace(TIMES, function (times) { return "\u2066" + times + "\u2069"; });
    }
    node.textContent = data.label + " " + text;
    node.hidden = false;
  });
})();
