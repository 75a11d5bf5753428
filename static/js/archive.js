// Progressive enhancement over pages that work without it: on the search
// page, the filters start folded on a phone; on the interview page, the
// one-column switch (remembered in localStorage), "copy citation", and
// landing on a matched paragraph with its mark in view.
(function () {
  "use strict";
  var refine = document.querySelector("details.refine");
  if (refine && window.matchMedia("(max-width: 48rem)").matches) refine.open = false;
})();

(function () {
  "use strict";
  var KEY = "archive.view";
  var interview = document.querySelector(".interview");
  if (!interview) return;

  function remembered() {
    try { return localStorage.getItem(KEY) || "both"; } catch (e) { return "both"; }
  }
  function show(view) {
    interview.setAttribute("data-view", view);
    document.querySelectorAll(".view-switch button").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-view") === view));
    });
  }
  var switcher = document.querySelector(".view-switch");
  if (switcher) {
    switcher.hidden = false;
    switcher.addEventListener("click", function (event) {
      var view = event.target.getAttribute("data-view");
      if (!view) return;
      try { localStorage.setItem(KEY, view); } catch (e) { /* private mode: not remembered */ }
      show(view);
    });
  }
  show(remembered());

  var status = document.querySelector(".copied");
  document.querySelectorAll("button.cite").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = button.getAttribute("data-citation");
      var done = function () { if (status) status.textContent = status.getAttribute("data-done"); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () { fallback(text); done(); });
      } else {
        fallback(text); done();
      }
    });
  });
  function fallback(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "absolute"; area.style.left = "-9999px";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (e) { /* nothing more to try */ }
    document.body.removeChild(area);
  }

  // A result links to #t14-p9: the paragraph in the published script. When
  // that column is hidden (one-column view), or the paragraph is taller than
  // the screen, bring the first mark of the visible rendering into view.
  function toMatch() {
    var id = decodeURIComponent(location.hash.slice(1));
    var paragraph = id && document.getElementById(id);
    if (!paragraph || !paragraph.hasAttribute("data-paragraph")) return;
    var turn = paragraph.closest(".turn");
    var number = paragraph.getAttribute("data-paragraph");
    var shown = function (p) { return p.offsetParent !== null; };
    var visible = shown(paragraph) ? paragraph : Array.prototype.filter.call(
      turn.querySelectorAll('[data-paragraph="' + number + '"]'), shown)[0];
    if (!visible) return;
    var mark = visible.querySelector("mark") || visible;
    var box = mark.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight || visible !== paragraph) {
      mark.scrollIntoView({ block: "center" });
    }
  }
  window.addEventListener("load", toMatch);
  window.addEventListener("hashchange", toMatch);
})();

