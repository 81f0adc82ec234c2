title { fr = "Quelle offre ?", en = "Which plan?" }
local t = {}
for i = 1, 40 do t[i] = { id = "u" .. i, fr = "U", en = "U" } end
question "usages" { text = { fr = "Pour quoi ?", en = "What for?" }, multiple = true, max = 3, answers = t }
outcome "petit" { text = { fr = "Le petit", en = "The small one" } }
decide(function(a) return "petit" end)
