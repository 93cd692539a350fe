from average import average
input()
print(f"{average(list(map(int, input().split()))):.9f}")
