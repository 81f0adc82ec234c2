/* notfound.js: loaded by the root 404 page only.  It sends the reader to
   the 404 page of the language the URL names (<base><lang>/…), which links
   that language's home; without JavaScript the page links every home. */
(function () {
  "use strict";
  var box = document.querySelector("[data-not-found]");
  if (!box) return;
  var base = box.getAttribute("data-base"), path = location.pathname;
  if (path.indexOf(base) !== 0) return;
  var code = path.slice(base.length).split("/")[0];
  if (/^[A-Za-z0-9-]+$/.test(code) && box.querySelector('a[hreflang="' + code + '"]'))
    location.replace(base + code + "/404.html");
})();
