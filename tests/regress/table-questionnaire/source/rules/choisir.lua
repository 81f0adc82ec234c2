-- Every option: title, intro, questions with and without help, two and three
-- answers, outcomes with and without summary and article, reasons given as
-- translated text, as a plain string and not at all, and expects.
title { fr = "Quelle offre ?", en = "Which plan?" }
intro { fr = "Deux ou trois questions.", en = "Two or three questions." }

question "os" {
  text = { fr = "Quel système ?", en = "Which system?" },
  help = { fr = "Un conteneur ne fait tourner que Linux.", en = "A container runs Linux only." },
  answers = {
    { id = "linux", fr = "Linux", en = "Linux" },
    { id = "windows", fr = "Windows", en = "Windows" },
    { id = "bsd", fr = "BSD", en = "BSD" },
  },
}

question "admin" {
  text = { fr = "Gérez-vous la machine ?", en = "Do you manage the machine?" },
  answers = {
    { id = "yes", fr = "Oui", en = "Yes" },
    { id = "no", fr = "Non", en = "No" },
  },
}

outcome "vps" { text = { fr = "Un VPS", en = "A VPS" } }
outcome "lxc" {
  text = { fr = "Un conteneur LXC", en = "An LXC container" },
  summary = { fr = "Léger et rapide.", en = "Light and fast." },
  article = "offres/lxc",
}
outcome "kvm" {
  text = { fr = "Une VM KVM", en = "A KVM VM" },
  summary = { fr = "Un noyau à soi.", en = "A kernel of its own." },
  article = "offres/kvm",
}

decide(function(a)
  if a.admin == "no" then
    return "vps"
  end
  if a.os == "linux" then
    return "lxc", { fr = "Linux partage le noyau de l'hôte.", en = "Linux shares the host's kernel." }
  end
  if a.os == "bsd" then
    return "kvm", "BSD"
  end
  return "kvm", { fr = "Windows a besoin de son noyau.", en = "Windows needs its own kernel." }
end)

expect({ admin = "no" }, "vps")
expect({ admin = "yes", os = "linux" }, "lxc")
expect({ admin = "yes", os = "windows" }, "kvm")
expect({ admin = "yes", os = "bsd" }, "kvm")
