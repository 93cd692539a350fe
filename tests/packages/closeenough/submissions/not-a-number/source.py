print("about two")
