// @EXPECTED_RESULTS@: WRONG_ANSWER
// Counts the passes one short from the fifth pass on: right on the sample, wrong on pass 5 of secret/1.
#include <cstdio>
int main() { long long r, v; if (scanf("%lld %lld", &r, &v) != 2) return 1; printf("%lld\n", v >= 19 && r == 0 ? v - 1 : v + r); }
