/* phare.js: small progressive enhancements; every page works without it.
   - the root page sends the reader to the home of a language they read;
   - the sidebar's menu opens on wide screens;
   - the feedback widget votes with fetch and thanks in place. */
(function () {
  "use strict";

  function chooseLanguage() {
    var list = document.querySelector("[data-language-choice]");
    if (!list || !navigator.languages) return;
    var links = list.querySelectorAll("a[hreflang]");
    var wanted = navigator.languages.map(function (l) { return l.toLowerCase(); });
    for (var i = 0; i < wanted.length; i++) {
      for (var j = 0; j < links.length; j++) {
        var code = links[j].getAttribute("hreflang").toLowerCase();
        if (wanted[i] === code || wanted[i].split("-")[0] === code) {
          if (!sessionStorage.getItem("phare-root-visited")) {
            sessionStorage.setItem("phare-root-visited", "1");
            location.replace(links[j].href);
          }
          return;
        }
      }
    }
  }

  function clientToken() {
    var t = localStorage.getItem("phare-client");
    if (!t) {
      var a = new Uint8Array(16);
      crypto.getRandomValues(a);
      t = Array.prototype.map.call(a, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
      localStorage.setItem("phare-client", t);
    }
    return t;
  }

  function feedback() {
    var box = document.querySelector("[data-feedback]");
    if (!box) return;
    var form = box.querySelector("[data-feedback-form]");
    var more = box.querySelector("[data-feedback-more]");
    var err = box.querySelector("[data-feedback-error]");
    var thanks = box.querySelector("[data-feedback-thanks]");
    var key = "phare-voted:" + form.elements.article.value + ":" + form.elements.lang.value + ":" +
      form.elements.revision.value;
    function done() { box.classList.add("done"); }
    try { if (localStorage.getItem(key)) done(); } catch (e) { /* private mode */ }
    if (location.search.indexOf("feedback=thanks") >= 0) done();
    var yes = form.querySelector('[data-vote="yes"]'), no = form.querySelector('[data-vote="no"]');
    no.addEventListener("click", function (ev) {
      /* "No" first opens the reasons; the second button sends them. */
      if (!more.open) { ev.preventDefault(); more.open = true; more.querySelector("input").focus(); }
    });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var vote = ev.submitter && ev.submitter.value === "yes" ? "yes" : "no";
      var data = new URLSearchParams();
      data.append("article", form.elements.article.value);
      data.append("lang", form.elements.lang.value);
      data.append("revision", form.elements.revision.value);
      data.append("vote", vote);
      if (vote === "no") {
        form.querySelectorAll('input[name="reason"]:checked').forEach(function (c) { data.append("reason", c.value); });
        if (form.elements.comment.value) data.append("comment", form.elements.comment.value);
      }
      var client = "";
      try { client = clientToken(); } catch (e) { /* no storage: vote without a token */ }
      if (client) data.append("client", client);
      err.hidden = true;
      fetch(form.action, { method: "POST", body: data, headers: { "Accept": "application/json" } })
        .then(function (r) {
          if (!r.ok) throw new Error("HTTP " + r.status);
          try { localStorage.setItem(key, vote); } catch (e) { /* ignore */ }
          done();
          thanks.focus();
        })
        .catch(function () { err.hidden = false; });
    });
    void yes;
  }

  /* The search box shows at once; its script (search.js) loads when the box
     is first used, so that pages stay light. */
  function search() {
    document.querySelectorAll("form[data-search-form]").forEach(function (form) {
      var input = form.querySelector("[data-search]");
      var fallback = form.parentNode.querySelector("[data-search-fallback]");
      form.hidden = false;
      if (fallback) fallback.hidden = true;
      function load() {
        if (document.querySelector("script[data-search-script]")) return;
        var s = document.createElement("script");
        s.src = form.getAttribute("data-search-src");
        s.setAttribute("data-search-script", "");
        document.head.appendChild(s);
      }
      ["focus", "input", "pointerdown"].forEach(function (ev) {
        input.addEventListener(ev, load, { once: true });
      });
    });
  }

  /* A questionnaire inside an article works as links until it is used; its
     script (questionnaire.js) loads on the first click, which it then handles. */
  function questionnaires() {
    document.querySelectorAll("[data-questionnaire][data-script]").forEach(function (box) {
      box.addEventListener("click", function (ev) {
        var a = ev.target.closest("a[data-answer], a[data-restart], a[data-toggle]");
        if (!a || ev.ctrlKey || ev.metaKey || ev.shiftKey || window.phareQuestionnaire) return;
        ev.preventDefault();
        var s = document.createElement("script");
        s.src = box.getAttribute("data-script");
        s.onload = function () {
          var w = window.phareQuestionnaire(box);
          if (!w) { location.href = a.href; return; }
          w.load().then(function () { w.act(a); }, function () { location.href = a.href; });
        };
        s.onerror = function () { location.href = a.href; };
        document.head.appendChild(s);
      });
    });
  }

  /* The sidebar's Menu stays folded on narrow screens; wide ones show it. */
  function sidebar() {
    var menu = document.querySelector("[data-sidebar-menu]");
    if (menu && window.matchMedia("(min-width: 60em)").matches) menu.open = true;
  }

  document.addEventListener("DOMContentLoaded", function () {
    sidebar();
    chooseLanguage();
    search();
    questionnaires();
    feedback();
  });
})();
