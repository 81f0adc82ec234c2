title { fr = "Q", en = "Q" }
while true do end
