/* code.js: a copy button on every code block (render/highlight.c), loaded by
   pages that have some; none without JavaScript or a clipboard.  Its label
   and the "copied" notice, said through a status region, are in the reader's
   language (the script tag's data-copy and data-copied, from templates/i18n).
   A console block copies its commands (.hl-cmd): no prompts, no output. */
(function () {
  "use strict";
  var me = document.currentScript;
  var label = me && me.getAttribute("data-copy") || "Copy", copied = me && me.getAttribute("data-copied") || "Copied";
  if (!navigator.clipboard) return;
  document.querySelectorAll(".code-block").forEach(function (box) {
    var pre = box.querySelector("pre"), b = document.createElement("button"), st = document.createElement("span");
    b.type = "button";
    b.className = "code-copy";
    b.textContent = label;
    st.className = "visually-hidden";
    st.setAttribute("role", "status");
    b.addEventListener("click", function () {
      var cmds = pre.querySelectorAll(".hl-cmd"), text = pre.textContent.replace(/\n$/, "");
      if (cmds.length) text = Array.prototype.map.call(cmds, function (c) { return c.textContent; }).join("\n");
      navigator.clipboard.writeText(text).then(function () {
        b.textContent = st.textContent = copied;
        setTimeout(function () { b.textContent = label; st.textContent = ""; }, 2000);
      });
    });
    box.appendChild(b);
    box.appendChild(st);
  });
})();
