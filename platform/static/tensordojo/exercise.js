// The exercise page, as progressive enhancement (everything works without script too):
// - KaTeX typesets the statement and hints;
// - CodeMirror replaces the textarea. Tab inserts spaces; Esc then Tab (or Shift+Tab) leaves the
//   editor, so keyboard users are never trapped; Ctrl/Cmd+Enter submits;
// - the draft is kept in localStorage, so a rejected submission or a reload loses nothing;
// - Run sends the code for a trial on the visible cases and shows the result under the editor.
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
          cm.indentSelection("subtract");
        },
        Esc: function () { escaped = true; },
        "Ctrl-Enter": submitForm,
        "Cmd-Enter": submitForm,
      },
    });
    editor.on("keydown", function (cm, event) {
      // After Esc, let the browser have Tab (and Shift+Tab): CodeMirror ignores events marked so.
      if (event.key === "Tab" && escaped) { escaped = false; event.codemirrorIgnore = true; return; }
      if (event.key !== "Escape") escaped = false;
    });
    editor.on("change", saveDraft);
    editor.setSize(null, "28rem");
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
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (reply) {
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
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (!s.finished) return poll(urls, Math.min(delay * 1.3, 2500));
        return fetch(urls.fragment_url, { credentials: "same-origin" })
          .then(function (r) { return r.text(); })
          .then(function (html) {
            box.innerHTML = html;
            runButton.disabled = false;
            var heading = document.getElementById("trial-heading");
            if (heading) heading.focus();  // keyboard and screen-reader users land on the result
          });
      });
  }
});
