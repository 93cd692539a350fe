# A list of small lists growing past the limit: MLE at once (near a ceiling without headroom the kernel reclaimed the
# interpreter's own pages and the program crawled on into a time limit: TLE).
xs = []
while True:
    xs.append([0] * 64)
