// Progressive enhancement for the interview page: the one-column switch
// (remembered in localStorage) and "copy citation". Without JavaScript the
// page shows both renderings and the controls stay hidden.
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
})();
