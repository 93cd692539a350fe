input()
values = list(map(int, input().split()))
print(f"{sum(values) / len(values):.2f}")
