/* tabs.js: tab groups ("> [!TABS]", generator/render/callout.h), loaded only by
   pages that have one.  Without it each panel shows under its label; with it
   a group follows the WAI-ARIA tabs pattern, and a label chosen is chosen in
   every group that has it, here and on later pages (localStorage: the labels
   chosen, latest first). */
(function () {
  "use strict";
  var groups = document.querySelectorAll("[data-tabs]"), KEY = "phare-tabs", n = 0;
  function chosen() {
    try { return JSON.parse(localStorage.getItem(KEY)) || []; } catch (e) { return []; }
  }
  function select(g, label, focus) {
    var all = g.phareTabs;
    if (!all || !all.some(function (t) { return t.label === label; })) return;
    all.forEach(function (t) {
      var on = t.label === label;
      t.tab.setAttribute("aria-selected", on);
      t.tab.tabIndex = on ? 0 : -1;
      t.panel.hidden = !on;
      if (on && focus) t.tab.focus();
    });
  }
  function choose(t) {
    var top = t.tab.getBoundingClientRect().top;
    groups.forEach(function (g) { select(g, t.label, g === t.group); });
    scrollBy(0, t.tab.getBoundingClientRect().top - top); /* the chosen tab stays put */
    var list = chosen().filter(function (l) { return l !== t.label; });
    list.unshift(t.label);
    try { localStorage.setItem(KEY, JSON.stringify(list.slice(0, 20))); } catch (e) { /* private mode */ }
  }
  groups.forEach(function (g) {
    var bar = document.createElement("div"), all = [];
    bar.setAttribute("role", "tablist");
    g.querySelectorAll(":scope > [data-tab]").forEach(function (panel) {
      var t = { group: g, panel: panel, label: panel.getAttribute("data-tab"), tab: document.createElement("button") }, id;
      do id = "tab-" + ++n; while (document.getElementById(id) || document.getElementById(id + "-panel"));
      panel.previousElementSibling.hidden = true; /* the label */
      t.tab.type = "button";
      t.tab.id = id;
      t.tab.textContent = t.label;
      t.tab.setAttribute("role", "tab");
      t.tab.setAttribute("aria-controls", panel.id = id + "-panel");
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", id);
      panel.tabIndex = 0;
      t.tab.addEventListener("click", function () { choose(t); });
      t.tab.addEventListener("keydown", function (ev) {
        var i = all.indexOf(t), k = ev.key, j = k === "ArrowRight" ? i + 1 : k === "ArrowLeft" ? i - 1 :
          k === "Home" ? 0 : k === "End" ? all.length - 1 : null;
        if (j === null) return;
        ev.preventDefault();
        choose(all[(j + all.length) % all.length]);
      });
      bar.appendChild(t.tab);
      all.push(t);
    });
    g.insertBefore(bar, g.firstChild);
    g.phareTabs = all;
    var want = chosen().filter(function (l) { return all.some(function (t) { return t.label === l; }); });
    select(g, want.length ? want[0] : all[0].label, false);
  });
  /* A link to a heading in a hidden panel shows that panel. */
  var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
  var panel = target && target.closest("[role=tabpanel]");
  if (panel) select(panel.parentNode, panel.getAttribute("data-tab"), false);
})();
