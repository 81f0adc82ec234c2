/* tabs.js, for pages with "> [!TABS]" (generator/render/callout.h): each group
   becomes WAI-ARIA tabs; a label chosen is chosen in every group that has it,
   here and later (localStorage: labels chosen, latest first). */
(function () {
  "use strict";
  var groups = document.querySelectorAll("[data-tabs]"), KEY = "phare-tabs", n = 0;
  function chosen() {
    try { return JSON.parse(localStorage.getItem(KEY)) || []; } catch (e) { return []; }
  }
  function has(g, label) {
    return g.tabs && g.tabs.some(function (t) { return t.label === label; });
  }
  function select(g, label, focus) {
    if (has(g, label)) g.tabs.forEach(function (t) {
      var on = t.label === label;
      t.tab.setAttribute("aria-selected", on);
      t.tab.tabIndex = on ? 0 : -1;
      t.panel.hidden = !on;
      if (on && focus) t.tab.focus();
    });
  }
  function choose(t) {
    var top = t.tab.getBoundingClientRect().top, list = chosen().filter(function (l) { return l !== t.label; });
    groups.forEach(function (g) { select(g, t.label, g === t.group); });
    scrollBy(0, t.tab.getBoundingClientRect().top - top); /* the chosen tab stays put */
    list.unshift(t.label);
    try { localStorage.setItem(KEY, JSON.stringify(list.slice(0, 20))); } catch (e) { /* private mode */ }
  }
  groups.forEach(function (g) {
    var bar = document.createElement("div"), all = g.tabs = [];
    bar.setAttribute("role", "tablist");
    g.querySelectorAll(":scope > [data-tab]").forEach(function (panel) {
      var tab = document.createElement("button"), t = { group: g, panel: panel, tab: tab }, id;
      do id = "tab-" + ++n; while (document.getElementById(id) || document.getElementById(id + "-panel"));
      panel.previousElementSibling.hidden = true; /* the label */
      tab.type = "button";
      tab.id = id;
      tab.textContent = t.label = panel.getAttribute("data-tab");
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", panel.id = id + "-panel");
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", id);
      panel.tabIndex = 0;
      tab.onclick = function () { choose(t); };
      tab.onkeydown = function (ev) {
        var i = all.indexOf(t), k = ev.key, j = k === "ArrowRight" ? i + 1 : k === "ArrowLeft" ? i - 1 :
          k === "Home" ? 0 : k === "End" ? all.length - 1 : null;
        if (j === null) return;
        ev.preventDefault();
        choose(all[(j + all.length) % all.length]);
      };
      bar.appendChild(tab);
      all.push(t);
    });
    g.insertBefore(bar, g.firstChild);
    select(g, chosen().filter(function (l) { return has(g, l); })[0] || all[0].label);
  });
  /* a link to a heading in a hidden panel shows that panel */
  function follow() {
    var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    var panel = target && target.closest("[role=tabpanel]");
    if (panel) {
      select(panel.parentNode, panel.getAttribute("data-tab"));
      target.scrollIntoView();
    }
  }
  follow();
  addEventListener("hashchange", follow);
})();
