/* questionnaire.js: walks a compiled decision tree in place, one question at
   a time, with back and restart; the answers go into the URL
   (#answers=q:a,q:a) so a result can be shared.  The tree and the result
   links come from tree.json (data-tree-url), fetched on first use so that
   pages stay light.  Without this script the same tree works as linked
   static pages. */
(function () {
  "use strict";

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
        .then(function (d) { self.tree = d.tree; self.links = d.links || {}; });
    }
    return this.loading;
  };

  Walker.prototype.t = function (text) {
    return text ? (text[this.lang] || text[this.tree.default_language] || "") : "";
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
    var m = /(?:^|[#&])answers=([^&]*)/.exec(location.hash), answers = [];
    if (m && m[1]) {
      decodeURIComponent(m[1]).split(",").forEach(function (p) {
        var kv = p.split(":");
        if (kv.length === 2) answers.push(kv);
      });
    } else if (this.embedded) {
      return;
    } else {
      var path = location.pathname, id = this.tree.root;
      if (path.indexOf(this.root) === 0) id = path.slice(this.root.length).replace(/\/$/, "") || id;
      answers = this.pathTo(id) || [];
    }
    this.show(this.walk(answers));
  };

  Walker.prototype.hash = function () {
    return "#answers=" + encodeURIComponent(this.answers.map(function (a) { return a[0] + ":" + a[1]; }).join(","));
  };

  Walker.prototype.click = function (ev) {
    var a = ev.target.closest("a[data-answer], a[data-restart], button[data-back]");
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

  Walker.prototype.act = function (a) {
    if (a.hasAttribute("data-back")) { this.answers.pop(); }
    else if (a.hasAttribute("data-restart")) { this.answers = []; }
    else { this.answers.push(a.getAttribute("data-answer").split("=")); }
    var id = this.walk(this.answers);
    if (!this.embedded) {
      var url = id === this.tree.root ? this.root : this.root + id + "/";
      history.pushState(null, "", this.answers.length ? url + this.hash() : url);
    }
    this.show(id);
    var focus = this.body.querySelector("h2");
    if (focus) { focus.setAttribute("tabindex", "-1"); focus.focus(); }
  };

  Walker.prototype.show = function (id) {
    var node = this.tree.nodes[id], body = this.body, self = this;
    this.box.setAttribute("data-node", id);
    body.textContent = "";
    if (node.question) {
      var q = this.tree.questions[node.question];
      var fs = el("fieldset", { "class": "question", "data-question": node.question });
      var legend = el("legend");
      legend.appendChild(el("h2", {}, this.t(q.text)));
      fs.appendChild(legend);
      if (q.help) fs.appendChild(el("p", { "class": "help" }, this.t(q.help)));
      var ul = el("ul", { "class": "answers" });
      q.answers.forEach(function (ans) {
        var li = el("li");
        var next = node.next[ans.id];
        li.appendChild(el("a", { href: next === self.tree.root ? self.root : self.root + next + "/",
          "data-answer": node.question + "=" + ans.id, "data-next": next }, self.t(ans.label)));
        ul.appendChild(li);
      });
      fs.appendChild(ul);
      body.appendChild(fs);
    } else {
      var o = this.tree.outcomes[node.outcome];
      var div = el("div", { "class": "result", "data-outcome": node.outcome, role: "status" });
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
