title { fr = "Quelle offre ?", en = "Which plan?" }
question "usages" {
  text = { fr = "Pour quoi faire ?", en = "What for?" },
  multiple = true, min = 1,
  answers = {
    { id = "web", fr = "Un site", en = "A website" },
    { id = "mail", fr = "Du courriel", en = "Email" },
  },
}
outcome "petit" { text = { fr = "Le petit", en = "The small one" }, article = "reseau/dns" }
outcome "grand" { text = { fr = "Le grand", en = "The large one" } }
decide(function(a)
  return { grand = 2, moyen = 1 }
end)
