-- A questionnaire that tries every way out of the sandbox; what it finds
-- ends up in its published title.
local found = {}
local function try(name, f)
  local ok, v = pcall(f)
  found[#found + 1] = name .. "=" .. tostring(ok and v)
end
try("getenv", function() return os.getenv("PHARE_CANARY") end)
try("io", function() return io.open("../canary.txt"):read("a") end)
try("require", function() return require("os").getenv("PHARE_CANARY") end)
try("dofile", function() return dofile("../canary.txt") end)
try("loadfile", function() return loadfile("../canary.txt") end)
try("load", function() return load("return 1")() end)
try("package", function() return package.loaded.os.getenv("PHARE_CANARY") end)
try("debug", function() return debug.getregistry() end)
try("dump", function() return string.dump(print) end)
try("gc", function() return collectgarbage("count") end)
try("metatable", function() return getmetatable("").__index.getenv end)
try("env", function() return _ENV.os end)
local seen = table.concat(found, " ")
title { fr = "Quelle offre ? " .. seen, en = "Which plan? " .. seen }
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
  if a.taille == "grand" then return "grand" end
  return "petit"
end)
expect({ taille = "grand" }, "grand")
