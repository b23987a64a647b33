// "Use my location" on /lookup: progressive enhancement. Without JavaScript (or without
// geolocation) the button stays hidden and the address form and city map still work.
// It fills lon/lat into the same GET form and submits it; the server does the look-up.
(function () {
  "use strict";
  var button = document.querySelector("[data-geolocate]");
  if (!button || !("geolocation" in navigator)) { return; }
  var form = document.getElementById(button.getAttribute("data-form"));
  var status = document.getElementById(button.getAttribute("data-status"));
  if (!form) { return; }
  button.hidden = false;
  document.querySelectorAll("[data-geolocate-hint]").forEach(function (el) { el.hidden = false; });

  function say(message) { if (status) { status.textContent = message || ""; } }

  function setField(name, value) {
    var input = form.querySelector("input[type=hidden][name=" + name + "]");
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      form.appendChild(input);
    }
    input.value = value;
  }

  function reset() {
    button.disabled = false;
    var address = form.querySelector("[name=address]");
    if (address) { address.disabled = false; }
    form.querySelectorAll("input[type=hidden][name=lon], input[type=hidden][name=lat]")
      .forEach(function (el) { el.parentNode.removeChild(el); });
  }
  // Coming back with the Back button must leave a usable form.
  window.addEventListener("pageshow", reset);

  button.addEventListener("click", function () {
    button.disabled = true;
    say(button.getAttribute("data-msg-waiting"));
    navigator.geolocation.getCurrentPosition(function (position) {
      setField("lon", position.coords.longitude.toFixed(6));
      setField("lat", position.coords.latitude.toFixed(6));
      // The point replaces the typed address: leave the address out of the URL.
      var address = form.querySelector("[name=address]");
      if (address) { address.disabled = true; }
      form.submit();
    }, function (error) {
      button.disabled = false;
      say(button.getAttribute(error && error.code === 1 ? "data-msg-denied" : "data-msg-failed"));
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });
})();
