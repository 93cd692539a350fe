input()
values = list(map(int, input().split()))
print(sum(values) // len(values))
