/* CoopAtlas (GPL-3.0-or-later): type-ahead of the place field of the Bourse projets form.
   Progressive enhancement: without it the server resolves the typed name. */
(function () {
  "use strict";
  var input = document.getElementById("f-lieu");
  var list = document.getElementById("lieux-liste");
  var country = document.getElementById("f-pays_code");
  if (!input || !list || !country) { return; }
  var url = input.getAttribute("data-lieux-url");
  var timer = null, last = "";
  function fill(items) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    items.forEach(function (p) {
      var o = document.createElement("option");
      o.value = p.libelle;
      list.appendChild(o);
    });
  }
  function query() {
    var code = country.value, q = input.value.trim();
    var key = code + "|" + q;
    if (!code || q.length < 2 || key === last) { return; }
    last = key;
    fetch(url + "?pays=" + encodeURIComponent(code) + "&q=" + encodeURIComponent(q), {headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : {lieux: []}; })
      .then(function (data) { fill(data.lieux || []); })
      .catch(function () { /* the server still resolves the typed name */ });
  }
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(query, 150); });
  country.addEventListener("change", function () { last = ""; fill([]); });
}());
