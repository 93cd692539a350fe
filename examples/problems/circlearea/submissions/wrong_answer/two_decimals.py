# Too few decimals: fails the 1e-6 tolerance on small radii.
import math

r = float(input())
print("%.2f" % (math.pi * r * r))
