#include <cstdio>
int main() { int n; if (scanf("%d", &n) != 1) return 1; for (int i = n; i >= 1; i--) printf("%d ", i); printf("\n"); }
