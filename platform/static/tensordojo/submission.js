// Live status: ask the status endpoint to answer when grading is done (?wait: a long
// poll the worker's announcement ends), then swap in the rendered result. If the server
// answers early (its waiting slots are busy, or the wait timed out), ask again after a
// short pause. Without JavaScript a <noscript> refresh does the same job.
// The focus goes to the result's heading (its verdict), so the way back or on is the next Tab.
(function () {
  var box = document.getElementById("result");
  if (!box) return;
  function focusHeading() {
    var heading = document.getElementById("result-heading");
    if (heading) heading.focus({ preventScroll: true });
  }
  focusHeading();
  if (box.dataset.finished === "1") return;
  var WAIT_S = 20;
  var pause = 250;
  var LABELS = { queued: "Waiting for a grader", running: "Running", graded: "Graded", error: "Could not grade" };
  function url() {
    var base = box.dataset.statusUrl;
    return base + (base.indexOf("?") < 0 ? "?" : "&") + "wait=" + WAIT_S;
  }
  function poll() {
    var asked = Date.now();
    fetch(url(), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.finished) {
          // The fragment carries the final heading with the verdict: swap it in at once, so
          // nobody (a reader, a screen reader, a test) sees a status without the result.
          return fetch(box.dataset.fragmentUrl, { credentials: "same-origin" })
            .then(function (r) { return r.text(); })
            .then(function (html) { box.innerHTML = html; box.dataset.finished = "1"; focusHeading(); });
        }
        var badge = document.getElementById("status-badge");
        if (badge) { badge.textContent = LABELS[s.status] || s.status; badge.className = "status " + s.status; }
        // A long poll that waited needs no pause; one answered at once backs off a little.
        var waited = Date.now() - asked > 1000;
        pause = waited ? 0 : Math.min(pause * 2, 3000);
        setTimeout(poll, pause);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  poll();
})();
