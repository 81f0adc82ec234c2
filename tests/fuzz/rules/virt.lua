-- A small questionnaire for the tests: LXC, KVM or a VPS.
title { fr = "LXC ou KVM ?", en = "LXC or KVM?" }
intro { fr = "Quelques questions.", en = "A few questions." }

question "guest_os" {
  text = { fr = "Quel système tournera dedans ?", en = "What will run inside?" },
  help = { fr = "Le noyau est partagé avec LXC.", en = "LXC shares the kernel." },
  answers = {
    { id = "linux", fr = "Linux", en = "Linux" },
    { id = "other", fr = "Windows ou un autre noyau", en = "Windows or another kernel" },
  },
}
question "isolation" {
  text = { fr = "Quelle isolation ?", en = "How much isolation?" },
  answers = {
    { id = "strong", fr = "Forte", en = "Strong" },
    { id = "light", fr = "Légère", en = "Light" },
  },
}
question "own_hardware" {
  text = { fr = "Avez-vous une machine ?", en = "Do you have a machine?" },
  answers = {
    { id = "yes", fr = "Oui", en = "Yes" },
    { id = "no", fr = "Non", en = "No" },
  },
}

outcome "kvm" { text = "KVM", summary = { fr = "Une VM complète.", en = "A full VM." },
                article = "virtualisation/kvm" }
outcome "lxc" { text = "LXC" }
outcome "vps" { text = { fr = "Un VPS", en = "A VPS" } }

decide(function(a)
  if a.own_hardware == "no" then
    return "vps", { fr = "Pas de machine à vous.", en = "You have no machine." }
  end
  if a.guest_os == "other" then
    return "kvm", { fr = "Il faut son propre noyau.", en = "It needs its own kernel." }
  end
  if a.isolation == "strong" then
    return "kvm", { fr = "Isolation forte.", en = "Strong isolation." }
  end
  return "lxc"
end)

expect({ own_hardware = "no" }, "vps")
expect({ own_hardware = "yes", guest_os = "other" }, "kvm")
expect({ own_hardware = "yes", guest_os = "linux", isolation = "light" }, "lxc")
