#include <iostream>
// 32-bit sums: wrong once the sum passes 2^31 - 1.
int main() { int a, b; std::cin >> a >> b; std::cout << a + b << "\n"; }
