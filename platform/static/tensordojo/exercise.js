// The exercise page, as progressive enhancement (everything works without script too):
// - KaTeX typesets the statement and hints;
// - CodeMirror replaces the textarea. Tab inserts spaces; Esc then Tab leaves the editor forwards,
//   Shift+Tab (without a selection to outdent) or Esc then Shift+Tab backwards, so keyboard users
//   are never trapped; Ctrl/Cmd+Enter submits;
// - the draft is kept in localStorage, so a rejected submission or a reload loses nothing;
// - Run sends the code for a trial on the visible cases and shows the result under the editor,
//   scrolled into view;
// - a session that ended (logged out in another tab, expired) is said in words by Run and Submit;
//   the code a refused Submit carried is kept and offered again after logging in;
// - on a phone, the statement starts folded so the editor is within the first screen.
document.addEventListener("DOMContentLoaded", function () {
  if (window.tensordojoTypeset) { tensordojoTypeset(document); }
  else if (window.renderMathInElement) {
    document.querySelectorAll(".prose").forEach(function (el) {
      renderMathInElement(el, {
        delimiters: [{ left: "\\[", right: "\\]", display: true }, { left: "\\(", right: "\\)", display: false }],
        throwOnError: false,
      });
    });
  }
  var fold = document.getElementById("statement-fold");
  if (fold && window.matchMedia && window.matchMedia("(max-width: 600px)").matches) fold.open = false;

  var form = document.getElementById("submit-form");
  var textarea = document.getElementById("source");
  if (!form || !textarea) return;

  var draftKey = form.dataset.draftKey;
  var serverCode = textarea.value;
  var store = null;
  try { store = window.localStorage; store.getItem(draftKey); } catch (e) { store = null; }
  var editor = null;

  function getCode() { return editor ? editor.getValue() : textarea.value; }
  function setCode(code) { if (editor) { editor.setValue(code); } else { textarea.value = code; } }
  function saveDraft() {
    if (!store) return;
    try {
      var code = getCode();
      if (code === serverCode) { store.removeItem(draftKey); } else { store.setItem(draftKey, code); }
    } catch (e) { /* storage full or disabled: the editor still works */ }
  }
  function submitForm() {
    if (editor) editor.save();
    saveDraft();
    var button = document.getElementById("submit-button");
    if (form.requestSubmit) { form.requestSubmit(button); } else { button.click(); }
  }

  // Restore a draft that differs from what the server shows (e.g. a refused submission).
  var draft = store ? store.getItem(draftKey) : null;
  var note = document.getElementById("draft-note");
  if (draft !== null && draft !== serverCode) {
    textarea.value = draft;
    if (note) note.hidden = false;
  }

  if (window.CodeMirror) {
    var escaped = false;  // Esc was pressed: the next Tab leaves the editor
    editor = CodeMirror.fromTextArea(textarea, {
      mode: "python", lineNumbers: true, indentUnit: 4, tabSize: 4, lineWrapping: true,
      screenReaderLabel: "Code editor",
      extraKeys: {
        Tab: function (cm) {
          if (cm.somethingSelected()) { cm.indentSelection("add"); } else { cm.replaceSelection("    "); }
        },
        "Shift-Tab": function (cm) {
          cm.indentSelection("subtract");  // only with a selection: see the keydown handler
        },
        Esc: function () { escaped = true; },
        "Ctrl-Enter": submitForm,
        "Cmd-Enter": submitForm,
      },
    });
    editor.on("keydown", function (cm, event) {
      // After Esc, let the browser have Tab and Shift+Tab; Shift+Tab with nothing selected is always
      // the way out backwards. CodeMirror ignores events marked so (and the browser moves the focus).
      var leave = escaped || (event.shiftKey && !cm.somethingSelected());
      if (event.key === "Tab" && leave) { escaped = false; event.codemirrorIgnore = true; return; }
      if (event.key !== "Escape") escaped = false;
    });
    editor.on("change", saveDraft);
    var phone = window.matchMedia && window.matchMedia("(max-width: 600px)").matches;
    editor.setSize(null, phone ? "55vh" : "28rem");
    var input = editor.getInputField();
    input.setAttribute("aria-describedby", "editor-help");
    form.addEventListener("submit", function () { editor.save(); saveDraft(); });
  } else {
    // Plain textarea: the same keys.
    var esc = false;
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { esc = true; return; }
      if (event.key === "Tab" && !esc && !event.shiftKey) {
        event.preventDefault();
        var start = textarea.selectionStart;
        textarea.setRangeText("    ", start, textarea.selectionEnd, "end");
        saveDraft();
        return;
      }
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); submitForm(); return; }
      esc = false;
    });
    textarea.addEventListener("input", saveDraft);
    form.addEventListener("submit", saveDraft);
  }

  // A session that ended: say so, keep the code a Submit carried, and offer it again after logging in.
  var pendingKey = draftKey + ":pending-submit";
  var loginUrl = form.dataset.loginUrl;
  function sessionLost(response) {
    if (response.status === 401 || response.status === 403) return true;
    return Boolean(loginUrl && response.redirected && new URL(response.url).pathname === new URL(loginUrl, location.href).pathname);
  }
  function showLoggedOut(box, what) {
    box.innerHTML = "";
    var p = document.createElement("p");
    p.className = "error-box";
    p.id = "logged-out";
    p.setAttribute("role", "alert");
    p.appendChild(document.createTextNode("You were logged out, so " + what + " Your code is kept in this browser. "));
    var a = document.createElement("a");
    a.href = loginUrl;
    a.id = "log-in-again";
    a.textContent = "Log in again";
    p.appendChild(a);
    p.appendChild(document.createTextNode(" to come back here with it."));
    box.appendChild(p);
    a.focus();
  }
  var submitBox = document.getElementById("submit-status");
  var submitButton = document.getElementById("submit-button");
  form.addEventListener("submit", function (event) {
    var via = event.submitter;
    if (!window.fetch || !submitBox || (via && via.id !== "submit-button")) return;
    event.preventDefault();
    if (editor) editor.save();
    saveDraft();
    submitButton.disabled = true;
    var data = new FormData(form);
    fetch(form.action, { method: "POST", body: data, credentials: "same-origin", headers: { "X-CSRFToken": data.get("csrfmiddlewaretoken") } })
      .then(function (response) {
        if (sessionLost(response)) {
          if (store) { try { store.setItem(pendingKey, data.get("source")); } catch (e) { /* kept as the draft anyway */ } }
          submitButton.disabled = false;
          showLoggedOut(submitBox, "your submission was not sent.");
          return;
        }
        if (store) store.removeItem(pendingKey);
        if (new URL(response.url).pathname !== location.pathname) { window.location.assign(response.url); return; }
        // Refused (too fast, too large…): the page came back with the reason; show it here, code untouched.
        return response.text().then(function (html) {
          var said = new DOMParser().parseFromString(html, "text/html").querySelector(".messages");
          submitButton.disabled = false;
          submitBox.innerHTML = "";
          if (said) { said.setAttribute("role", "alert"); submitBox.appendChild(said); }
        });
      })
      .catch(function () {
        submitButton.disabled = false;
        submitBox.innerHTML = '<p class="error-box" role="alert">The submission could not be sent (no connection?). Your code is kept; try again.</p>';
      });
  });
  var pending = store ? store.getItem(pendingKey) : null;
  var resend = document.getElementById("pending-submit");
  if (pending !== null && resend) {
    resend.hidden = false;
    document.getElementById("resubmit-button").addEventListener("click", function () {
      setCode(pending);
      store.removeItem(pendingKey);
      submitForm();
    });
    document.getElementById("drop-pending").addEventListener("click", function () {
      store.removeItem(pendingKey);
      resend.hidden = true;
    });
  }

  var discard = document.getElementById("discard-draft");
  if (discard) discard.addEventListener("click", function () {
    setCode(serverCode);
    if (store) store.removeItem(draftKey);
    note.hidden = true;
  });

  // Run: a trial on the visible cases, shown below the editor without leaving the page.
  var runButton = document.getElementById("run-button");
  var box = document.getElementById("trial-result");
  if (!runButton || !box || !window.fetch) return;
  runButton.addEventListener("click", function (event) {
    event.preventDefault();
    if (editor) editor.save();
    saveDraft();
    runButton.disabled = true;
    box.innerHTML = '<p class="card">Running the visible cases…</p>';
    var data = new FormData(form);
    fetch(runButton.getAttribute("formaction"), {
      method: "POST", body: data, credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": data.get("csrfmiddlewaretoken") },
    })
      .then(function (r) {
        if (sessionLost(r)) return { lost: true };
        var json = (r.headers.get("Content-Type") || "").indexOf("json") >= 0;
        if (!json) throw new Error("The run was refused (HTTP " + r.status + "). Your code is kept; try again.");
        return r.json().then(function (body) { return { ok: r.ok, body: body }; });
      })
      .then(function (reply) {
        if (reply.lost) { runButton.disabled = false; showLoggedOut(box, "nothing was run."); return; }
        if (!reply.ok) { throw new Error(reply.body.error || "The run was refused."); }
        return poll(reply.body, 400);
      })
      .catch(function (error) {
        box.innerHTML = "";
        var p = document.createElement("p");
        p.className = "error-box";
        p.textContent = error.message;
        box.appendChild(p);
        runButton.disabled = false;
      });
  });

  function poll(urls, delay) {
    return new Promise(function (resolve) { setTimeout(resolve, delay); })
      .then(function () { return fetch(urls.status_url, { credentials: "same-origin" }); })
      .then(function (r) { return sessionLost(r) ? { lost: true } : r.json(); })
      .then(function (s) {
        if (s.lost) { runButton.disabled = false; showLoggedOut(box, "the run's result cannot be shown."); return; }
        if (!s.finished) return poll(urls, Math.min(delay * 1.3, 2500));
        return fetch(urls.fragment_url, { credentials: "same-origin" })
          .then(function (r) { return r.text(); })
          .then(function (html) {
            box.innerHTML = html;
            runButton.disabled = false;
            var card = document.getElementById("trial-card");
            if (card && card.scrollIntoView) card.scrollIntoView({ block: "start" });  // the whole result, not its heading
            var heading = document.getElementById("trial-heading");
            if (heading) heading.focus({ preventScroll: true });  // keyboard and screen-reader users land on it
          });
      });
  }
});
