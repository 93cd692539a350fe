print(f"{int(input()) ** 0.5:.9f}")
