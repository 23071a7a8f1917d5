// Conditional questions: hidden while their condition is not met. Without this script
// every question shows, each conditional one saying when it applies; the server drops
// answers to questions whose condition is not met either way.
(function () {
  "use strict";
  var form = document.querySelector(".survey-form");
  if (!form) { return; }
  function values(questionId) {
    var fields = form.querySelectorAll('[name="q_' + questionId + '"]');
    var found = [];
    fields.forEach(function (field) {
      if ((field.type === "radio" || field.type === "checkbox") && !field.checked) { return; }
      if (field.value) { found.push(field.value); }
    });
    return found;
  }
  function update() {
    form.querySelectorAll("[data-show-if]").forEach(function (node) {
      var shown = values(node.dataset.showIf).indexOf(node.dataset.showValue) !== -1;
      var parent = form.querySelector('[name="q_' + node.dataset.showIf + '"]');
      var parentBox = parent && parent.closest(".question");
      if (parentBox && parentBox.hidden) { shown = false; }
      node.hidden = !shown;
    });
  }
  form.addEventListener("change", update);
  update();
})();
