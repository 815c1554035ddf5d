/* Opens the question a #question-id address points at (on arrival and on every later jump). */
(function () {
  "use strict";
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target || target.tagName !== "DETAILS") { return; }
    target.open = true;
    target.scrollIntoView();
  }
  reveal();
  window.addEventListener("hashchange", reveal);
}());
