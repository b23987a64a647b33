// Live progress: refresh the count from the public counts API. Without JS the
// server-rendered count is shown, so this only enhances.
(function () {
  "use strict";
  var boxes = document.querySelectorAll(".progress[data-counts-url]");
  if (!boxes.length || !window.fetch) { return; }
  function refresh() {
    boxes.forEach(function (box) {
      fetch(box.getAttribute("data-counts-url"), { headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          var count = box.querySelector(".progress-count");
          var bar = box.querySelector("progress");
          if (count) { count.textContent = data.total.toLocaleString(); }
          if (bar) {
            bar.max = data.milestone;
            bar.value = data.total;
            bar.textContent = data.total;
          }
          var milestone = box.querySelector(".progress-milestone");
          if (milestone && data.milestone) {
            milestone.textContent = milestone.getAttribute("data-template")
              .replace("{count}", data.total.toLocaleString())
              .replace("{milestone}", data.milestone.toLocaleString());
            milestone.hidden = data.milestone >= Number(box.getAttribute("data-goal"));
          }
        })
        .catch(function () {});
    });
  }
  setInterval(refresh, 15000);
})();
