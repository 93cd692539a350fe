// 32-bit: right for group1 and the linked tests, wrong for the large one.
#include <cstdio>
int main() { int n; if (scanf("%d", &n) != 1) return 1; printf("%d\n", n * n); }
