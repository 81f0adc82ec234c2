/* questionnaire.js: walks a compiled decision tree in place, one question at
   a time, with back and restart; the answers go into the URL
   (#answers=q:a,w:a+b) so a result can be shared.  A multiple-answer
   question is a group of checkboxes whose min/max are said and enforced;
   its answer is the set's ids, sorted, joined by "," (the tree's key).  A
   result shows the ranking (data-rank), then "your answers", each with a
   button that reopens its question and keeps the later answers where they
   still apply.  The tree and the result links come from tree.json
   (data-tree-url), fetched on first use so that pages stay light.  Without
   this script the same tree works as linked static pages.
   Steps (started, question shown, answered, outcome reached, restarted,
   outcome's article opened) go to the site's collector with sendBeacon
   when the page names one (data-steps), unless the reader's browser asks
   not to be tracked (Global Privacy Control, Do Not Track).  They carry the
   questionnaire, language, tree revision, node and answer ids and a random
   id drawn for this visit, kept in memory only: no cookie, no storage. */
(function () {
  "use strict";

  /* A function sending one step of this visit, or one doing nothing. */
  function stepper(box) {
    var url = box.getAttribute("data-steps"), nav = navigator, seq = 0, visit = "";
    if (!url || !nav.sendBeacon || nav.globalPrivacyControl || nav.doNotTrack === "1" ||
        window.doNotTrack === "1") return function () {};
    crypto.getRandomValues(new Uint8Array(16)).forEach(function (b) { visit += (b + 256).toString(16).slice(1); });
    return function (step, node, answer) {
      var d = new URLSearchParams({ visit: visit, seq: seq++, step: step, node: node });
      ["questionnaire", "lang", "revision"].forEach(function (k) { d.append(k, box.getAttribute("data-" + k)); });
      if (answer) d.append("answer", answer);
      try { nav.sendBeacon(url, d); } catch (e) { /* statistics never break the questionnaire */ }
    };
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function Walker(box) {
    this.box = box;
    this.tree = null;
    this.links = {};
    this.lang = box.getAttribute("data-lang");
    this.root = box.getAttribute("data-root-url");
    this.embedded = box.getAttribute("data-embedded") === "true";
    this.body = box.querySelector(".q-body");
    this.answers = [];
    this.later = []; /* answers after a reopened question, applied again where they fit */
    this.ranked = {};
    this.compare = {};
    this.step = stepper(box);
    this.began = false;
    var self = this;
    box.addEventListener("click", function (ev) { self.click(ev); });
    if (!this.embedded) {
      window.addEventListener("popstate", function () { if (self.tree) self.fromUrl(); });
      this.load().then(function () { self.fromUrl(); }, function () { /* the static page stays */ });
    }
  }

  /* The tree, fetched once. */
  Walker.prototype.load = function () {
    var self = this;
    if (!this.loading) {
      this.loading = fetch(this.box.getAttribute("data-tree-url"))
        .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
        .then(function (d) {
          self.tree = d.tree; self.links = d.links || {}; self.ranked = d.ranked || {}; self.compare = d.compare || {};
        });
    }
    return this.loading;
  };

  Walker.prototype.t = function (text) {
    return text ? (text[this.lang] || text[this.tree.default_language] || "") : "";
  };

  Walker.prototype.str = function (key) { return this.box.getAttribute("data-str-" + key) || ""; };

  /* The answers given, as shown: a label, or a set's labels ("None"). */
  Walker.prototype.labelOf = function (qid, value) {
    var q = this.tree.questions[qid], self = this;
    if (!q) return value;
    var ids = q.multiple ? (value ? value.split(",") : []) : [value];
    var labels = q.answers.filter(function (a) { return ids.indexOf(a.id) >= 0; })
      .map(function (a) { return self.t(a.label); });
    return labels.length ? labels.join(", ") : this.str("none");
  };

  /* The node reached by the answers; stops at the first that does not fit. */
  Walker.prototype.walk = function (answers) {
    var id = this.tree.root, kept = [];
    for (var i = 0; i < answers.length; i++) {
      var node = this.tree.nodes[id];
      if (!node || !node.question || node.question !== answers[i][0] || !node.next[answers[i][1]]) break;
      id = node.next[answers[i][1]];
      kept.push(answers[i]);
    }
    this.answers = kept;
    return id;
  };

  /* One answer path from the root to node target (null if none). */
  Walker.prototype.pathTo = function (target) {
    var tree = this.tree, seen = {};
    function dfs(id) {
      if (id === target) return [];
      var node = tree.nodes[id];
      if (seen[id] || !node || !node.question) return null;
      seen[id] = true;
      for (var a in node.next) {
        var p = Object.prototype.hasOwnProperty.call(node.next, a) ? dfs(node.next[a]) : null;
        if (p) { p.unshift([node.question, a]); return p; }
      }
      return null;
    }
    return dfs(tree.root);
  };

  /* The answers come from #answers=; without it (back to the questionnaire's
     own URL, or a node page opened from a plain link) the page's path names
     the node, reached by one path from the root so that back and the next
     answers keep working. */
  Walker.prototype.fromUrl = function () {
    var m = /(?:^|[#&])answers=([^&]*)/.exec(location.hash), answers = [], sel = null;
    this.later = [];
    if (m && m[1]) {
      decodeURIComponent(m[1]).split(",").forEach(function (p) {
        var kv = p.split(":");
        /* a set is written a+b in the URL */
        if (kv.length === 2) answers.push([kv[0], kv[1].split("+").filter(Boolean).sort().join(",")]);
      });
    } else if (this.embedded) {
      return;
    } else {
      /* <root>[n<N>/][s-a.b/]: a node, and the answers ticked on its page */
      var path = location.pathname, id = this.tree.root, parts = [];
      if (path.indexOf(this.root) === 0) parts = path.slice(this.root.length).split("/").filter(Boolean);
      if (parts[0] && parts[0].indexOf("s-") !== 0) id = parts.shift();
      if (parts[0] && parts[0].indexOf("s-") === 0) sel = parts[0].slice(2).split(".");
      answers = this.pathTo(id) || [];
    }
    this.show(this.walk(answers), sel);
  };

  Walker.prototype.hash = function () {
    return "#answers=" + encodeURIComponent(this.answers.map(function (a) {
      return a[0] + ":" + a[1].split(",").join("+");
    }).join(","));
  };

  /* The visit's first step: where it began (a node page, or the question
     an article showed before the script loaded). */
  Walker.prototype.begin = function (id) {
    if (this.began) return;
    this.began = true;
    this.step("start", id);
  };

  Walker.prototype.click = function (ev) {
    if (ev.target.closest("a[data-outcome-article]") && this.tree) {
      this.step("open", this.box.getAttribute("data-node"));
      return;
    }
    var a = ev.target.closest("a[data-answer], button[data-answer], a[data-restart], button[data-back], " +
      "a[data-toggle], button[data-change]");
    if (!a || ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
    ev.preventDefault();
    if (!this.tree) {
      /* first use: fetch the tree, then answer; if it cannot be had, the link works as a link */
      var self = this;
      this.load().then(function () { self.act(a); }, function () { if (a.href) location.href = a.href; });
      return;
    }
    this.act(a);
  };

  /* A static page's toggle, clicked before the script drew the checkboxes:
     the same question with that answer toggled. */
  Walker.prototype.toggle = function (a) {
    var sel = [], t = a.getAttribute("data-toggle").split("=");
    this.box.querySelectorAll("[data-toggle][aria-pressed=\"true\"]").forEach(function (p) {
      sel.push(p.getAttribute("data-toggle").split("=")[1]);
    });
    var i = sel.indexOf(t[1]);
    if (i >= 0) sel.splice(i, 1); else sel.push(t[1]);
    this.show(this.box.getAttribute("data-node"), sel);
    var box = this.body.querySelector("input[value=\"" + t[1] + "\"]");
    if (box) box.focus();
  };

  Walker.prototype.act = function (a) {
    var sel = null, at = this.box.getAttribute("data-node");
    if (!this.began) {
      this.begin(at);
      if (this.tree.nodes[at] && this.tree.nodes[at].question) this.step("show", at);
    }
    if (a.hasAttribute("data-toggle")) { this.toggle(a); return; }
    if (a.hasAttribute("data-back")) { this.answers.pop(); this.later = []; }
    else if (a.hasAttribute("data-restart")) { this.answers = []; this.later = []; this.step("restart", at); }
    else if (a.hasAttribute("data-change")) {
      /* reopen question i; what was answered after it is offered again */
      var i = Number(a.getAttribute("data-change")), old = this.answers[i];
      this.later = this.answers.slice(i + 1);
      this.answers = this.answers.slice(0, i);
      sel = old[1] ? old[1].split(",") : [];
    } else {
      var kv = a.getAttribute("data-answer").split("=");
      this.answers.push([kv[0], kv.slice(1).join("=")]);
      this.step("answer", at, kv.slice(1).join("="));
      this.replay();
    }
    var id = this.walk(this.answers);
    if (!this.embedded) {
      var url = id === this.tree.root ? this.root : this.root + id + "/";
      history.pushState(null, "", this.answers.length ? url + this.hash() : url);
    }
    this.show(id, sel);
    var focus = this.body.querySelector("h2");
    if (focus) { focus.setAttribute("tabindex", "-1"); focus.focus(); }
  };

  /* The later answers of a reopened question, each given again when its
     question comes up (those that no longer fit stay for the reader). */
  Walker.prototype.replay = function () {
    var id = this.walk(this.answers);
    for (;;) {
      var node = this.tree.nodes[id], k = -1;
      if (!node || !node.question) break;
      for (var i = 0; i < this.later.length; i++) {
        if (this.later[i][0] === node.question && node.next[this.later[i][1]]) k = i;
      }
      if (k < 0) break;
      var a = this.later.splice(k, 1)[0];
      this.answers.push(a);
      id = node.next[a[1]];
    }
  };

  /* A multiple-answer question as checkboxes, ticked from sel. */
  Walker.prototype.checks = function (fs, qid, q, node, sel) {
    var self = this, hint = "qc-" + this.box.getAttribute("data-questionnaire") + "-" + qid;
    var say = this.str(q.min ? "choose" : "choose-any").replace("{min}", q.min).replace("{max}", q.max);
    fs.appendChild(el("p", { "class": "choose", id: hint }, say));
    var ul = el("ul", { "class": "answers checks" });
    q.answers.forEach(function (ans) {
      var li = el("li"), label = el("label");
      var box = el("input", { type: "checkbox", name: qid, value: ans.id, "aria-describedby": hint });
      box.checked = !!sel && sel.indexOf(ans.id) >= 0;
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + self.t(ans.label)));
      li.appendChild(label);
      ul.appendChild(li);
    });
    fs.appendChild(ul);
    var go = el("button", { type: "button", "class": "continue" }, this.str("continue"));
    var p = el("p", { "class": "continue" });
    p.appendChild(go);
    fs.appendChild(p);
    function update() {
      var on = [].filter.call(ul.querySelectorAll("input"), function (b) { return b.checked; })
        .map(function (b) { return b.value; }).sort();
      ul.querySelectorAll("input").forEach(function (b) { b.disabled = !b.checked && on.length >= q.max; });
      var key = on.join(","), ok = on.length >= q.min && on.length <= q.max && !!node.next[key];
      go.disabled = !ok;
      go.setAttribute("data-answer", qid + "=" + key);
      if (ok) go.setAttribute("data-next", node.next[key]); else go.removeAttribute("data-next");
    }
    ul.addEventListener("change", update);
    update();
  };

  /* The ranking after the first: each outcome, why it is not first, its article. */
  Walker.prototype.runnersUp = function (div, node) {
    var self = this, ranking = node.ranking || [];
    if (ranking.length < 2) return;
    div.appendChild(el("h3", {}, this.str("runners-up")));
    var ol = el("ol", { "class": "runners-up", start: "2" });
    ranking.slice(1).forEach(function (r, k) {
      var li = el("li", { "data-rank": String(k + 2), "data-ranked": r.outcome });
      li.appendChild(el("strong", {}, self.t(self.tree.outcomes[r.outcome].text)));
      r.reasons.forEach(function (text, i) {
        var p = el("p", { "class": "why-not" });
        if (!i) { p.appendChild(el("span", {}, self.str("why-not"))); p.appendChild(document.createTextNode(" ")); }
        p.appendChild(document.createTextNode(self.t(text)));
        li.appendChild(p);
      });
      if (self.ranked[r.outcome]) {
        var wrap = el("div");
        wrap.innerHTML = self.ranked[r.outcome]; /* markup phare wrote into tree.json */
        while (wrap.firstChild) li.appendChild(wrap.firstChild);
      }
      ol.appendChild(li);
    });
    div.appendChild(ol);
    var key = ranking.slice(0, 3).map(function (r) { return r.outcome; }).join(",");
    if (this.compare[key]) {
      div.appendChild(el("h3", {}, this.str("compared")));
      var table = el("div");
      table.innerHTML = this.compare[key];
      while (table.firstChild) div.appendChild(table.firstChild);
    }
  };

  /* "Your answers": each question and its answer, with a button reopening it. */
  Walker.prototype.summary = function (div) {
    if (!this.answers.length) return;
    var self = this, sec = el("section", { "class": "your-answers", "data-your-answers": "" });
    sec.appendChild(el("h3", {}, this.str("your-answers")));
    var ul = el("ul");
    this.answers.forEach(function (a, i) {
      var q = self.tree.questions[a[0]], li = el("li", { "data-question": a[0] });
      li.appendChild(el("span", { "class": "q" }, q ? self.t(q.text) : a[0]));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("strong", {}, self.labelOf(a[0], a[1])));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("button", { type: "button", "data-change": String(i),
        "aria-label": self.str("change") + " : " + (q ? self.t(q.text) : a[0]) }, self.str("change")));
      ul.appendChild(li);
    });
    sec.appendChild(ul);
    div.appendChild(sec);
  };

  Walker.prototype.show = function (id, sel) {
    var node = this.tree.nodes[id], body = this.body, self = this;
    this.begin(id);
    if (this.box.getAttribute("data-node") !== id || !this.shown) this.step(node.question ? "show" : "outcome", id);
    this.shown = true;
    this.box.setAttribute("data-node", id);
    body.textContent = "";
    if (node.question) {
      var q = this.tree.questions[node.question];
      var fs = el("fieldset", { "class": "question", "data-question": node.question });
      var legend = el("legend");
      legend.appendChild(el("h2", {}, this.t(q.text)));
      fs.appendChild(legend);
      if (q.help) fs.appendChild(el("p", { "class": "help" }, this.t(q.help)));
      if (q.multiple) {
        fs.setAttribute("data-multiple", "true");
        fs.setAttribute("data-min", String(q.min));
        fs.setAttribute("data-max", String(q.max));
        this.checks(fs, node.question, q, node, sel);
      } else {
        var ul = el("ul", { "class": "answers" });
        q.answers.forEach(function (ans) {
          var li = el("li");
          var next = node.next[ans.id];
          li.appendChild(el("a", { href: next === self.tree.root ? self.root : self.root + next + "/",
            "data-answer": node.question + "=" + ans.id, "data-next": next }, self.t(ans.label)));
          ul.appendChild(li);
        });
        fs.appendChild(ul);
      }
      body.appendChild(fs);
    } else {
      var o = this.tree.outcomes[node.outcome];
      var div = el("div", { "class": "result", "data-outcome": node.outcome, role: "status" });
      if (node.ranking) div.setAttribute("data-rank", "1");
      div.appendChild(el("p", { "class": "progress" }, this.box.getAttribute("data-str-result")));
      div.appendChild(el("h2", { "class": "outcome-title" }, this.t(o.text)));
      if (o.summary) div.appendChild(el("p", {}, this.t(o.summary)));
      if (node.reasons && node.reasons.length) {
        div.appendChild(el("h3", {}, this.box.getAttribute("data-str-reasons")));
        var rl = el("ul", { "class": "reasons" });
        node.reasons.forEach(function (r) { rl.appendChild(el("li", {}, self.t(r))); });
        div.appendChild(rl);
      }
      if (this.links[node.outcome]) {
        /* markup phare wrote into tree.json, on this site */
        var wrap = el("div");
        wrap.innerHTML = this.links[node.outcome];
        while (wrap.firstChild) div.appendChild(wrap.firstChild);
      }
      this.runnersUp(div, node);
      this.summary(div);
      body.appendChild(div);
    }
    var nav = this.box.querySelector(".nav");
    var back = nav.querySelector("[data-back]");
    if (this.answers.length && !back) {
      back = el("button", { type: "button", "data-back": "" }, this.box.getAttribute("data-str-back"));
      nav.insertBefore(back, nav.firstChild);
    } else if (!this.answers.length && back) {
      back.remove();
    }
  };

  function start() {
    document.querySelectorAll("[data-questionnaire][data-node]").forEach(function (box) {
      /* Only boxes with a tree: other elements may carry the attribute too
         (the search form names the questionnaire's URL with it). */
      if (!box.phareWalker && box.hasAttribute("data-tree-url")) box.phareWalker = new Walker(box);
    });
  }
  /* phare.js loads this script on a first click in an article's box and
     hands that click over. */
  window.phareQuestionnaire = function (box) { start(); return box.phareWalker; };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
