// Reads the bound and never asks: spins until its CPU time runs out. The interactor, waiting, then reads end-of-file.
#include <iostream>
int main() { long long n; std::cin >> n; volatile unsigned long long x = 0; for (;;) x = x + 1; }
