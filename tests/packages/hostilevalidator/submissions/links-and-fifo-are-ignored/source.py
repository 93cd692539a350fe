print("links")
