// Autosave of a national report: each answer is sent as it is typed (after a pause) or
// chosen. The page works without this script (its buttons save everything); with it, no
// answer waits for a button. A save that finds a newer answer stored (another tab or
// co-editor) is refused by the server; both versions are then shown and nothing is lost.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form || !window.fetch) { return; }
  var status = document.getElementById("autosave-status");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var timers = new WeakMap();

  function say(text) { if (status) { status.textContent = text; } }

  function fields(block) {
    var id = block.dataset.question;
    return {
      rev: block.querySelector("input[name='answer-" + id + "-rev']"),
      text: block.querySelector("textarea[name='answer-" + id + "-text']"),
      lang: block.querySelector("select[name='answer-" + id + "-lang']"),
      choice: block.querySelector("input[name='answer-" + id + "-choice']:checked"),
      id: id
    };
  }

  function showConflict(block, conflict, detail) {
    var panel = block.querySelector(".conflict-panel");
    if (!panel) {
      panel = document.createElement("div");
      panel.className = "conflict-panel";
      panel.setAttribute("role", "alert");
      block.appendChild(panel);
    }
    panel.textContent = "";
    var p = document.createElement("p");
    p.textContent = detail;
    var quote = document.createElement("blockquote");
    quote.textContent = conflict.text || conflict.choice;
    var keep = document.createElement("button");
    keep.type = "button";
    keep.className = "secondary";
    keep.textContent = form.dataset.keepMine || "Keep my version";
    keep.addEventListener("click", function () {
      fields(block).rev.value = conflict.revision;
      panel.remove();
      save(block);
    });
    panel.append(p, quote, keep);
  }

  function save(block) {
    var f = fields(block);
    if (!f.rev) { return; }
    var body = new FormData();
    body.append("csrfmiddlewaretoken", token);
    body.append("answer-" + f.id + "-rev", f.rev.value);
    if (f.text) { body.append("answer-" + f.id + "-text", f.text.value); }
    if (f.lang) { body.append("answer-" + f.id + "-lang", f.lang.value); }
    if (f.choice) { body.append("answer-" + f.id + "-choice", f.choice.value); }
    say(form.dataset.savingText);
    fetch(block.dataset.saveUrl, {
      method: "POST", body: body, credentials: "same-origin",
      headers: {"X-CSRFToken": token, "Accept": "application/json"}
    }).then(function (response) {
      return response.json().then(function (data) { return {status: response.status, data: data}; });
    }).then(function (result) {
      if (result.status === 200) {
        f.rev.value = result.data.revision;
        say(form.dataset.savedText + " " + new Date().toLocaleTimeString());
      } else if (result.status === 409) {
        showConflict(block, result.data.conflict, result.data.detail);
        say(form.dataset.errorText + " " + result.data.detail);
      } else {
        say(form.dataset.errorText + " " + (result.data.detail || result.status));
      }
    }).catch(function () {
      say(form.dataset.errorText + " " + (form.dataset.offlineText || "offline"));
    });
  }

  function later(block, delay) {
    clearTimeout(timers.get(block));
    timers.set(block, setTimeout(function () { timers.delete(block); save(block); }, delay));
  }

  form.querySelectorAll(".question[data-save-url]").forEach(function (block) {
    if (!block.querySelector("input[name$='-rev']")) { return; }
    block.addEventListener("input", function (event) {
      if (event.target.matches("textarea[name^='answer-']")) { later(block, 1200); }
    });
    block.addEventListener("change", function (event) {
      if (event.target.matches("[name^='answer-']")) { later(block, 100); }
    });
    block.addEventListener("focusout", function (event) {
      if (event.target.matches("textarea[name^='answer-']") && timers.get(block)) { later(block, 0); }
    });
  });
})();
