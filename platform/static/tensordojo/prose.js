// Typeset the maths of Markdown pages (statements, hints, explanations, the lesson) with KaTeX.
function tensordojoTypeset(root) {
  if (!window.renderMathInElement) return;
  (root || document).querySelectorAll(".prose").forEach(function (el) {
    renderMathInElement(el, {
      delimiters: [
        { left: "\\[", right: "\\]", display: true },
        { left: "\\(", right: "\\)", display: false },
      ],
      throwOnError: false,
    });
  });
}
document.addEventListener("DOMContentLoaded", function () { tensordojoTypeset(document); });
