import os, sys
p = os.path.join(sys.argv[1], "templates/partials")
os.makedirs(p, exist_ok=True)
os.mkfifo(os.path.join(p, "footer.mustache"))
