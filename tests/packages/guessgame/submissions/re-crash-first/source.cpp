// Crashes before its first query: the interactor then reads end-of-file and rejects, but the crash came first: RE.
#include <cstdlib>
#include <iostream>
int main() { long long n; std::cin >> n; std::abort(); }
