-- Questionnaire: a VPS, an LXC container or a KVM virtual machine?
-- Built on the criteria of the article "Différences entre LXC et KVM"
-- (content/*/virtualisation/lxc-vs-kvm.md): control over the machine, guest
-- system and kernel, isolation and security, kind of workload, density.
-- decide() reads the questions in the order they matter, so each path only
-- asks what changes the answer.

title { fr = "VPS, LXC ou KVM : que choisir ?", en = "VPS, LXC or KVM: which should you choose?" }
intro {
  fr = "Répondez à quelques questions sur votre projet : nous vous indiquerons la solution la plus adaptée, et pourquoi.",
  en = "Answer a few questions about your project and we'll tell you which option fits best, and why.",
}

question "hosting" {
  text = {
    fr = "Administrez-vous vous-même la machine physique ?",
    en = "Do you manage the physical machine yourself?",
  },
  help = {
    fr = "LXC et KVM s'installent sur une machine que vous contrôlez : un serveur dédié, un serveur de votre entreprise, un hyperviseur comme Proxmox VE. Si vous voulez simplement un serveur prêt à l'emploi, un VPS vous évite de gérer le matériel.",
    en = "LXC and KVM are installed on a machine you control: a dedicated server, one of your company's servers, a hypervisor such as Proxmox VE. If you simply want a ready-to-use server, a VPS spares you the hardware.",
  },
  answers = {
    { id = "own", fr = "Oui, j'administre la machine hôte", en = "Yes, I manage the host machine" },
    { id = "rent", fr = "Non, je veux louer un serveur prêt à l'emploi", en = "No, I want to rent a ready-to-use server" },
  },
}

question "guest_os" {
  text = {
    fr = "Quel système doit tourner dans l'environnement virtuel ?",
    en = "Which operating system will run inside?",
  },
  help = {
    fr = "Un conteneur LXC utilise le noyau de la machine hôte : il ne peut faire tourner que Linux.",
    en = "An LXC container uses the host machine's kernel, so it can only run Linux.",
  },
  answers = {
    { id = "linux", fr = "Linux", en = "Linux" },
    { id = "other", fr = "Windows, BSD ou un autre système", en = "Windows, BSD or another system" },
  },
}

question "kernel" {
  text = {
    fr = "Avez-vous besoin de maîtriser le noyau ?",
    en = "Do you need control over the kernel?",
  },
  help = {
    fr = "Par exemple : une version précise du noyau, vos propres modules ou des réglages du noyau différents de ceux de l'hôte.",
    en = "For example: a specific kernel version, your own modules, or kernel settings that differ from the host's.",
  },
  answers = {
    { id = "yes", fr = "Oui, il me faut mon propre noyau", en = "Yes, I need my own kernel" },
    { id = "no", fr = "Non, celui de l'hôte me convient", en = "No, the host's kernel is fine" },
  },
}

question "isolation" {
  text = {
    fr = "Quel niveau d'isolation vous faut-il ?",
    en = "How much isolation do you need?",
  },
  help = {
    fr = "Une isolation forte s'impose dès que les environnements appartiennent à des clients différents, exécutent du code auquel vous ne faites pas confiance ou sont soumis à des exigences de sécurité.",
    en = "Strong isolation is a must as soon as the environments belong to different customers, run code you don't trust, or are subject to security requirements.",
  },
  answers = {
    { id = "strong", fr = "Forte : clients différents, code non fiable ou exigences de sécurité", en = "Strong: separate customers, untrusted code or security requirements" },
    { id = "light", fr = "Légère : mes propres services, qui se font confiance", en = "Light: my own services, which trust each other" },
  },
}

question "workloads" {
  text = {
    fr = "Qu'allez-vous y faire tourner ?",
    en = "What will you run on it?",
  },
  help = {
    fr = "Cochez tout ce qui s'applique, jusqu'à trois réponses : le classement tient compte de chacune.",
    en = "Tick everything that applies, up to three answers: the ranking takes each of them into account.",
  },
  multiple = true, min = 1, max = 3,
  answers = {
    { id = "devtest", fr = "Des environnements de développement ou de test", en = "Development or test environments" },
    { id = "micro", fr = "Des microservices ou des applications légères", en = "Microservices or lightweight applications" },
    { id = "many", fr = "Le plus d'instances possible sur la même machine", en = "As many instances as possible on the same machine" },
    { id = "server", fr = "Des serveurs complets (production, bases de données…)", en = "Full servers (production, databases…)" },
    { id = "docker", fr = "Docker ou d'autres conteneurs à l'intérieur", en = "Docker or other containers inside" },
  },
}

outcome "vps" {
  text = { fr = "Un VPS", en = "A VPS" },
  summary = {
    fr = "Louez un serveur virtuel auprès d'un hébergeur : vous obtenez l'équivalent d'un serveur dédié, avec un accès administrateur complet, sans acheter ni entretenir de machine physique.",
    en = "Rent a virtual server from a hosting provider: you get the equivalent of a dedicated server, with full administrator access, without buying or maintaining a physical machine.",
  },
  article = "virtualisation/vps",
}

outcome "lxc" {
  text = { fr = "Des conteneurs LXC", en = "LXC containers" },
  summary = {
    fr = "Des conteneurs légers qui partagent le noyau de l'hôte : ils démarrent en quelques secondes, consomment peu de ressources et un même serveur peut en accueillir beaucoup.",
    en = "Lightweight containers that share the host's kernel: they start in seconds, use few resources, and a single server can hold many of them.",
  },
  article = "virtualisation/lxc",
}

outcome "kvm" {
  text = { fr = "Des machines virtuelles KVM", en = "KVM virtual machines" },
  summary = {
    fr = "Une virtualisation complète : chaque machine virtuelle a son propre noyau et son propre système, avec une isolation totale et des performances proches d'un serveur physique.",
    en = "Full virtualization: each virtual machine has its own kernel and its own operating system, with complete isolation and performance close to a physical server.",
  },
  article = "virtualisation/kvm",
}

compare "vps-lxc-kvm"

-- Why the runners-up are not first, and what each workload says for LXC or KVM.
local why_not = {
  vps = {
    fr = "Vous administrez déjà votre machine : louer un VPS ajouterait un coût mensuel pour ce que votre hôte fournit déjà.",
    en = "You already manage your machine: renting a VPS would add a monthly cost for what your host already provides.",
  },
  lxc_kernel = {
    fr = "Un conteneur LXC partage le noyau de l'hôte : il ne peut ni faire tourner un autre système ni charger son propre noyau.",
    en = "An LXC container shares the host's kernel: it can neither run another system nor load its own kernel.",
  },
  lxc_isolation = {
    fr = "Les conteneurs partagent le noyau de l'hôte : une faille du noyau les expose tous, ce qui ne convient pas à une isolation forte.",
    en = "Containers share the host's kernel: a kernel flaw exposes all of them, which does not suit strong isolation.",
  },
  lxc = {
    fr = "Des conteneurs seraient plus légers, mais pour ce que vous faites tourner une machine virtuelle se comporte comme un serveur indépendant, sans réglage particulier.",
    en = "Containers would be lighter, but for what you run a virtual machine behaves like an independent server, with no special setup.",
  },
  kvm = {
    fr = "Une machine virtuelle conviendrait aussi, mais chacune embarque un système complet : plus lourde et plus lente à démarrer qu'un conteneur pour ce que vous faites tourner.",
    en = "A virtual machine would work too, but each one carries a complete system: heavier and slower to start than a container for what you run.",
  },
}

local pro = {
  devtest = { "lxc", {
    fr = "Pour le développement et les tests, les conteneurs se créent et se suppriment en quelques secondes, sans le poids d'un système complet par environnement.",
    en = "For development and testing, containers can be created and deleted in seconds, without the weight of a complete system per environment.",
  } },
  micro = { "lxc", {
    fr = "Les microservices ont besoin d'une isolation légère mais rapide : c'est précisément ce qu'offrent les conteneurs LXC.",
    en = "Microservices need light but fast isolation, which is exactly what LXC containers offer.",
  } },
  many = { "lxc", {
    fr = "Les conteneurs partagent le noyau de l'hôte : vous en logerez bien plus sur la même machine qu'avec des machines virtuelles.",
    en = "Containers share the host's kernel: you will fit far more of them on the same machine than virtual machines.",
  } },
  server = { "kvm", {
    fr = "Des serveurs complets se comportent, dans une machine virtuelle, comme des machines indépendantes, avec des performances proches d'un serveur physique.",
    en = "In a virtual machine, full servers behave like independent machines, with performance close to a physical server.",
  } },
  docker = { "kvm", {
    fr = "Docker tourne sans réglage dans une machine virtuelle ; dans un conteneur LXC, il faut activer l'imbrication et relâcher une partie de l'isolation.",
    en = "Docker runs as is in a virtual machine; in an LXC container it needs nesting enabled and part of the isolation relaxed.",
  } },
}
local order = { "devtest", "micro", "many", "server", "docker" }

decide(function(a)
  -- Without a machine of your own, the choice between LXC and KVM is the provider's.
  if a.hosting == "rent" then
    return "vps", {
      fr = "Vous ne voulez pas gérer de machine physique : un VPS vous fournit un serveur virtuel prêt à l'emploi, et l'hébergeur s'occupe du matériel.",
      en = "You don't want to manage a physical machine: a VPS gives you a ready-to-use virtual server, and the provider takes care of the hardware.",
    }
  end

  -- A container always runs on the host's kernel: any need for another one rules LXC out.
  if a.guest_os == "other" then
    return { kvm = 10, vps = 2 }, {
      kvm = {
        fr = "Un conteneur LXC ne fait tourner que Linux, avec le noyau de l'hôte. Ce système a besoin de son propre noyau, ce que seule une machine virtuelle lui offre.",
        en = "An LXC container can only run Linux, on the host's kernel. This system needs a kernel of its own, which only a virtual machine provides.",
      },
      vps = why_not.vps,
    }
  end
  if a.kernel == "yes" then
    return { kvm = 10, vps = 2 }, {
      kvm = {
        fr = "Les conteneurs partagent le noyau de l'hôte. Avec KVM, chaque machine virtuelle a son propre noyau, que vous choisissez et réglez librement.",
        en = "Containers share the host's kernel. With KVM, each virtual machine has its own kernel, which you choose and configure as you like.",
      },
      vps = why_not.vps,
    }
  end

  if a.isolation == "strong" then
    return { kvm = 10, lxc = 4, vps = 2 }, {
      kvm = {
        fr = "KVM offre une isolation totale : chaque machine virtuelle a son propre noyau, ses ressources et son système. Les conteneurs, qui partagent le noyau, sont moins bien isolés.",
        en = "KVM provides complete isolation: each virtual machine has its own kernel, resources and system. Containers share the kernel, so they are less well isolated.",
      },
      lxc = why_not.lxc_isolation,
      vps = why_not.vps,
    }
  end

  -- Linux services that trust each other: each workload ticked counts for
  -- containers or for virtual machines; a tie goes to LXC, the lighter.
  local w = a.workloads
  local score = { lxc = 5, kvm = 5, vps = 1 }
  local reasons = { lxc = {}, kvm = {} }
  for _, id in ipairs(order) do
    if w[id] then
      local to, text = pro[id][1], pro[id][2]
      score[to] = score[to] + 3
      reasons[to][#reasons[to] + 1] = text
    end
  end
  local first = score.lxc >= score.kvm and "lxc" or "kvm"
  local second = first == "lxc" and "kvm" or "lxc"
  -- The runner-up: why it is not first, then what speaks for it all the same.
  return score, {
    [first] = reasons[first],
    [second] = { why_not[second], table.unpack(reasons[second]) },
    vps = why_not.vps,
  }
end)

-- Each path that matters: the first outcome, or the whole ranking.
expect({ hosting = "rent" }, "vps")
expect({ hosting = "own", guest_os = "other" }, { "kvm", "vps" })
expect({ hosting = "own", guest_os = "linux", kernel = "yes" }, { "kvm", "vps" })
expect({ hosting = "own", guest_os = "linux", kernel = "no", isolation = "strong" }, { "kvm", "lxc", "vps" })
expect({ hosting = "own", guest_os = "linux", kernel = "no", isolation = "light", workloads = { "devtest" } }, { "lxc", "kvm", "vps" })
expect({ hosting = "own", guest_os = "linux", kernel = "no", isolation = "light", workloads = { "micro", "many" } }, "lxc")
expect({ hosting = "own", guest_os = "linux", kernel = "no", isolation = "light", workloads = { "server" } }, { "kvm", "lxc", "vps" })
expect({ hosting = "own", guest_os = "linux", kernel = "no", isolation = "light", workloads = { "docker" } }, "kvm")
expect({ hosting = "own", guest_os = "linux", kernel = "no", isolation = "light", workloads = { "devtest", "server" } }, "lxc")
expect({ hosting = "own", guest_os = "linux", kernel = "no", isolation = "light", workloads = { "devtest", "server", "docker" } }, "kvm")
