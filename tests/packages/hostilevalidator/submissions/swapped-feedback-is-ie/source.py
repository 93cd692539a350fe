print("swap")
