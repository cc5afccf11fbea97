// Progressive enhancement for the exercise page: typeset maths with KaTeX and turn
// the plain textarea into a CodeMirror editor when those libraries loaded.
document.addEventListener("DOMContentLoaded", function () {
  if (window.renderMathInElement) {
    renderMathInElement(document.getElementById("statement"), {
      delimiters: [
        { left: "\\[", right: "\\]", display: true },
        { left: "\\(", right: "\\)", display: false },
      ],
      throwOnError: false,
    });
  }
  var textarea = document.getElementById("source");
  if (textarea && window.CodeMirror) {
    var editor = CodeMirror.fromTextArea(textarea, {
      mode: "python", lineNumbers: true, indentUnit: 4, tabSize: 4,
      extraKeys: { Tab: function (cm) { cm.replaceSelection("    "); } },
    });
    editor.setSize(null, "28rem");
    document.getElementById("submit-form").addEventListener("submit", function () { editor.save(); });
  }
});
