title { fr = "Quelle offre ?", en = "Which plan?" }
question "taille" {
  text = { fr = "Quelle taille ?", en = "What size?" },
  answers = {
    { id = "petit", fr = "Petit", en = "Small" },
    { id = "grand", fr = "Grand", en = "Large" },
  },
}
outcome "petit" { text = { fr = "Le petit", en = "The small one" }, article = "reseau/dns" }
outcome "grand" { text = { fr = "Le grand", en = "The large one" } }
decide(function(a)
  if a.taille == "grand" then return "moyen" end
  return "petit"
end)
expect({ taille = "grand" }, "grand")
