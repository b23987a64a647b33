// After a submit with errors, move focus to the error summary so screen readers
// announce it and keyboard users start from the list of problems.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
