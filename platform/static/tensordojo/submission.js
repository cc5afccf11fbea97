// Live status: poll the small JSON endpoint, and when grading is done swap in the
// rendered result. Without JavaScript a <noscript> refresh does the same job.
(function () {
  var box = document.getElementById("result");
  if (!box || box.dataset.finished === "1") return;
  var delay = 500;
  var LABELS = { queued: "Waiting for a grader", running: "Running", graded: "Graded", error: "Could not grade" };
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        var badge = document.getElementById("status-badge");
        if (badge) { badge.textContent = LABELS[s.status] || s.status; badge.className = "status " + s.status; }
        if (s.finished) {
          return fetch(box.dataset.fragmentUrl, { credentials: "same-origin" })
            .then(function (r) { return r.text(); })
            .then(function (html) { box.innerHTML = html; box.dataset.finished = "1"; });
        }
        delay = Math.min(delay * 1.3, 3000);
        setTimeout(poll, delay);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, delay);
})();
