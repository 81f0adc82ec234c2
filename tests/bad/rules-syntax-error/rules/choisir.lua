title { fr = "Q", en = "Q" 
question "x" {
