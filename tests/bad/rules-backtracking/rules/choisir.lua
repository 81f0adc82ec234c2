title { fr = "Q", en = "Q" }
local s = string.rep('a', 40)
string.find(s, '.-.-.-.-.-.-.-.-.-.-b')
